import ArgumentParser
import Foundation
import IMAPClient
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `imap-gateway probe`: connect, log in, print capabilities and folders (and one folder's summary).
///
/// The password never comes from a flag (it would show in `ps` and shell history): it is read from
/// `--password-file`, else `IMAP_PASSWORD`, else prompted for without echo. Every failure prints
/// one line on stderr and exits non-zero: 2 network, 3 TLS, 4 login, 5 folder, 1 anything else.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "Check an IMAP server: capabilities and folders.",
        discussion: "The password comes from --password-file, the IMAP_PASSWORD environment variable, or a prompt.")

    @Option(help: "IMAP server host name or address.")
    var host: String

    @Option(help: "Port (default 993 for --tls implicit, else 143).")
    var port: Int?

    @Option(help: "IMAP user name.")
    var user: String

    @Option(help: "implicit, starttls or none.")
    var tls: String = IMAPTLSMode.implicit.rawValue

    @Option(name: .customLong("ca-file"), help: "PEM file of CAs to trust instead of the system's.")
    var caFile: String?

    @ArgumentParser.Flag(name: .customLong("insecure-skip-verify"), help: "Do not verify the server certificate (testing only).")
    var insecureSkipVerify = false

    @Option(help: "Also show this folder's summary (UTF-8 name, e.g. INBOX or Entwürfe).")
    var folder: String?

    @ArgumentParser.Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(name: .customLong("password-file"), help: "File whose first line is the password.")
    var passwordFile: String?

    @ArgumentParser.Flag(help: "Log the IMAP exchange (credentials redacted) to stderr.")
    var verbose = false

    func validate() throws {
        guard IMAPTLSMode(rawValue: tls.lowercased()) != nil else {
            throw ValidationError("--tls must be implicit, starttls or none (got '\(tls)')")
        }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be 1...65535 (got \(port))") }
    }

    func run() async throws {
        do {
            let report = try await probe()
            print(json ? try report.json() : report.text(), terminator: json ? "\n" : "")
        } catch let failure as ProbeFailure {
            FileHandle.standardError.write(Data("imap-gateway probe: \(failure.message)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }

    private func probe() async throws(ProbeFailure) -> ProbeReport {
        let mode = IMAPTLSMode(rawValue: tls.lowercased()) ?? .implicit
        let password = try readPassword()
        var configuration = IMAPServerConfiguration(
            host: host, port: port ?? (mode == .implicit ? 993 : 143), tlsMode: mode,
            tls: TLSClientConfiguration(caFile: caFile, insecureSkipVerification: insecureSkipVerify))
        configuration.commandTimeout = .seconds(30)
        var logger = Logger(label: "probe") { label -> any LogHandler in
            verbose ? StreamLogHandler.standardError(label: label) : SwiftLogNoOpLogHandler()
        }
        logger.logLevel = verbose ? Logger.Level.trace : Logger.Level.critical

        let target = "\(configuration.host):\(configuration.port)"
        let connection: IMAPConnection
        do {
            connection = try await IMAPConnection.connect(configuration, logger: logger)
        } catch {
            throw ProbeFailure(error, stage: "connecting to \(target)")
        }
        defer { connection.close() }
        do {
            try await connection.authenticate(.password(user: user, password: password))
        } catch {
            throw ProbeFailure(error, stage: "logging in to \(target) as \(user)")
        }
        var report = ProbeReport(server: target, tlsMode: mode, capabilities: connection.capabilities.map(\.rawValue).sorted())
        do {
            report.folders = try await connection.list()
            if let folder {
                report.folder = try await connection.select(MailboxName(folder), readOnly: true)
            }
        } catch {
            throw ProbeFailure(error, stage: folder.map { "reading folder '\($0)'" } ?? "listing folders")
        }
        await connection.logout()
        return report
    }

    /// `--password-file`, then IMAP_PASSWORD, then a prompt without echo.
    private func readPassword() throws(ProbeFailure) -> String {
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw ProbeFailure(message: "cannot read password file '\(passwordFile)'", exitCode: 1)
            }
            let text = String(decoding: data, as: UTF8.self)
            return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        if let password = ProcessInfo.processInfo.environment["IMAP_PASSWORD"] { return password }
        return try PasswordPrompt.read(prompt: "Password for \(user) at \(host): ")
    }
}

// MARK: - Failures

/// A probe failure reduced to one line and an exit code.
struct ProbeFailure: Error {
    var message: String
    var exitCode: Int32

    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    init(_ error: any Error, stage: String) {
        let code: Int32
        switch error {
        case IMAPError.connection(let socket):
            switch socket {
            case .tls, .certificateVerificationFailed: code = 3
            default: code = 2
            }
        case IMAPError.startTLSNotOffered: code = 3
        case IMAPError.timedOut: code = 2
        case IMAPError.authenticationFailed: code = 4
        case IMAPError.no, IMAPError.bad: code = stage.hasPrefix("reading folder") ? 5 : 1
        default: code = 1
        }
        // One line: server texts may carry CR/LF.
        let detail = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
        self.init(message: "\(stage): \(detail)", exitCode: code)
    }
}

// MARK: - Password prompt

/// Reads a line from the terminal with echo off; from a pipe it just reads the first line.
enum PasswordPrompt {
    static func read(prompt: String) throws(ProbeFailure) -> String {
        let isTerminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if isTerminal {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if isTerminal {
                var restore = saved
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &restore)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true) else {
            throw ProbeFailure(message: "no password: set IMAP_PASSWORD, pass --password-file, or type it at the prompt", exitCode: 1)
        }
        return line
    }
}

// MARK: - Report

/// What the probe found, printable as text or JSON.
struct ProbeReport {
    var server: String
    var tlsMode: IMAPTLSMode
    var capabilities: [String]
    var folders: [MailboxListing] = []
    var folder: SelectedMailbox?

    func text() -> String {
        var out = "Server: \(server) (TLS: \(tlsMode.rawValue))\n"
        out += "Capabilities: \(capabilities.joined(separator: " "))\n"
        out += "Folders (\(folders.count)):\n"
        let width = min(40, folders.map(\.name.displayName.count).max() ?? 0)
        for listing in folders {
            let name = listing.name.displayName
            var line = "  " + name + String(repeating: " ", count: max(1, width - name.count + 2))
            line += "delimiter " + (listing.delimiter.map { "\"\($0)\"" } ?? "NIL")
            if let use = listing.specialUse { line += "  special-use \(use.rawValue)" }
            if !listing.attributes.isEmpty { line += "  " + listing.attributes.joined(separator: " ") }
            out += line + "\n"
        }
        if let folder {
            out += "Folder \"\(folder.name.displayName)\":\n"
            out += "  exists \(folder.exists), recent \(folder.recent)"
            out += ", uidNext \(folder.uidNext.map { String($0.rawValue) } ?? "-")"
            out += ", uidValidity \(folder.uidValidity.map { String($0) } ?? "-")"
            out += ", readOnly \(folder.readOnly)"
            out += ", highestModSeq \(folder.highestModSeq.map { String($0) } ?? "-")\n"
            out += "  flags: \(Self.list(folder.flags))\n"
            out += "  permanentFlags: \(Self.list(folder.permanentFlags))\n"
        }
        return out
    }

    private static func list(_ flags: [IMAP.Flag]) -> String {
        flags.isEmpty ? "(none)" : flags.map(\.rawValue).joined(separator: " ")
    }

    func json() throws -> String {
        var object: [String: Any] = [
            "capabilities": capabilities,
            "folders": folders.map { listing -> [String: Any] in
                [
                    "name": listing.name.displayName,
                    "delimiter": listing.delimiter.map { String($0) } as Any? ?? NSNull(),
                    "attributes": listing.attributes,
                    "specialUse": listing.specialUse?.rawValue as Any? ?? NSNull(),
                ]
            },
        ]
        if let folder {
            object["folder"] = [
                "name": folder.name.displayName,
                "exists": folder.exists,
                "recent": folder.recent,
                "uidNext": folder.uidNext.map { Int($0.rawValue) } as Any? ?? NSNull(),
                "uidValidity": folder.uidValidity.map { Int($0) } as Any? ?? NSNull(),
                "flags": folder.flags.map(\.rawValue),
                "permanentFlags": folder.permanentFlags.map(\.rawValue),
                "readOnly": folder.readOnly,
                // JSON numbers are doubles for many readers; a 63-bit MODSEQ stays exact as a number
                // here, and is what the server said.
                "highestModSeq": folder.highestModSeq.map { NSNumber(value: $0) } as Any? ?? NSNull(),
            ] as [String: Any]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
