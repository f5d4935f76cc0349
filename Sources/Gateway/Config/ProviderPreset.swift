/// `--imap-provider`: what a big mail provider needs, so that wiring a Gmail or Outlook mailbox
/// takes one setting. A preset fills in host, port, TLS and the per-account connection limits;
/// every one of them stays overridable by its own setting (the preset is applied first).
///
/// The limits are per account and count every IMAP connection the gateway holds for it (pooled
/// sessions, event streams and mirror watchers together: `AccountBudget`). They stay below the
/// provider's own cap so the user's phone and desktop mail apps keep working beside the gateway.
public enum ProviderPreset: String, Sendable, CaseIterable {
    case gmail
    case outlook
    case yahoo
    case icloud
    case fastmail

    /// The provider's IMAP server (implicit TLS on 993 everywhere).
    public var endpoint: IMAPEndpoint {
        let host = switch self {
        case .gmail: "imap.gmail.com"
        case .outlook: "outlook.office365.com"
        case .yahoo: "imap.mail.yahoo.com"
        case .icloud: "imap.mail.me.com"
        case .fastmail: "imap.fastmail.com"
        }
        return IMAPEndpoint(host: host, port: 993, security: .implicitTLS)
    }

    /// Simultaneous IMAP connections the provider allows one account, where it says so.
    /// Gmail: 15 (Gmail's bandwidth limits). Exchange Online: 20 per mailbox (its throttling
    /// FAQ). Yahoo, iCloud and Fastmail publish none.
    public var providerConnectionLimit: Int? {
        switch self {
        case .gmail: 15
        case .outlook: 20
        case .yahoo, .icloud, .fastmail: nil
        }
    }

    /// Connections the gateway holds for one account at most, pooled sessions, event streams and
    /// mirror watchers together (`--account-max-connections`): two thirds of a published limit (Gmail 10 of 15: a phone, a desktop client and a
    /// web session or two still fit), 5 where nothing is published.
    public var connectionBudget: Int {
        guard let limit = providerConnectionLimit else { return 5 }
        return limit * 2 / 3
    }

    /// The OAuth 2.0 scope an access token needs for IMAP (nil: the provider offers third
    /// parties no OAuth for IMAP, or only to registered partners; use an app password).
    public var oauthScope: String? {
        switch self {
        case .gmail: "https://mail.google.com/"
        case .outlook: "https://outlook.office.com/IMAP.AccessAsUser.All"
        case .yahoo: "mail-w"
        case .icloud, .fastmail: nil
        }
    }

    /// Fills `configuration` with the preset's server and limits. Apply it before the explicit
    /// settings so that those win.
    public func apply(to configuration: inout GatewayConfiguration) {
        var imap = endpoint
        imap.ignoredCapabilities = configuration.imap.ignoredCapabilities
        imap.caFile = configuration.imap.caFile
        configuration.imap = imap
        // One budget for every connection; within it most for the pool (requests) and a part for
        // event streams, so neither kind can take all of it.
        let budget = connectionBudget
        configuration.accountMaxConnections = budget
        configuration.events.perAccount = max(1, budget / 5)
        configuration.pool.perAccount = max(1, budget - configuration.events.perAccount)
    }

    /// `gmail|outlook|...`, for help texts and errors.
    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }
}

extension ProviderPreset: SettingValue {
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> ProviderPreset {
        guard let preset = ProviderPreset(rawValue: text.lowercased()) else {
            throw .invalidValue(setting: setting, value: text, expected: names)
        }
        return preset
    }
}
