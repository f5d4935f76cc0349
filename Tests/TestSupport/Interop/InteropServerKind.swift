/// The IMAP servers besides Dovecot that the interop tests run the gateway against (issue 14).
public enum InteropServerKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Cyrus IMAP 3.6 (Debian cyrus-imapd): SPECIAL-USE, CONDSTORE/QRESYNC, '/' separator.
    case cyrus
    /// Courier-IMAP 5 (Debian courier-imap): `INBOX.` namespace, no SPECIAL-USE, no UIDNEXT on SELECT.
    case courier
    /// pymap 0.36 (PyPI) with its in-memory dict backend: one account, no SPECIAL-USE, no `\*`.
    case pymap

    public var description: String { rawValue }

    /// The start script under `scripts/`.
    var script: String { "scripts/\(rawValue).sh" }

    /// What to run when the server is missing.
    var installHint: String {
        switch self {
        case .cyrus:
            return "Cyrus is unpacked by scripts/install-deps.sh (apt-get download cyrus-common cyrus-imapd + dpkg-deb -x into /opt/imap-gateway-interop/cyrus, and sasl2-bin); scripts/test.sh runs it"
        case .courier:
            return "Courier is unpacked by scripts/install-deps.sh (apt-get download courier-imap courier-base courier-authlib courier-authdaemon courier-authlib-userdb + dpkg-deb -x into /opt/imap-gateway-interop/courier); scripts/test.sh runs it"
        case .pymap:
            return "pymap is installed by scripts/install-deps.sh (python3 -m pip install pymap); scripts/test.sh runs it"
        }
    }

    /// The file whose presence says the server is installed.
    var installedMarker: String {
        let root = InteropServer.installRoot
        switch self {
        case .cyrus: return "\(root)/cyrus/usr/lib/cyrus/bin/master"
        case .courier: return "\(root)/courier/usr/bin/imapd"
        case .pymap: return ""
        }
    }

    /// How long a start may take: pymap imports a lot of Python on a busy 2-core machine.
    var readyTimeout: Duration {
        switch self {
        case .cyrus, .courier: return .seconds(30)
        case .pymap: return .seconds(60)
        }
    }
}
