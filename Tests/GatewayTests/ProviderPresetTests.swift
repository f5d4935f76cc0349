@testable import Gateway
import Testing

@Suite("Provider presets")
struct ProviderPresetTests {
    @Test func gmailFillsServerTLSAndABudgetBelowGooglesFifteen() throws {
        var configuration = GatewayConfiguration()
        configuration.imap.ignoredCapabilities = ["MOVE"]
        ProviderPreset.gmail.apply(to: &configuration)
        #expect(configuration.imap.host == "imap.gmail.com")
        #expect(configuration.imap.port == 993)
        #expect(configuration.imap.security == .implicitTLS)
        #expect(configuration.imap.ignoredCapabilities == ["MOVE"], "settings the preset does not know survive")
        #expect(configuration.pool.perAccount + configuration.events.perAccount == 10)
        #expect(configuration.accountMaxConnections == 10, "one budget for pool, streams and watchers together")
        #expect(configuration.pool.perAccount + configuration.events.perAccount < 15, "room for the user's own mail apps")
        try configuration.validate()
    }

    @Test(arguments: ProviderPreset.allCases)
    func everyPresetIsAValidConfigurationWithinItsProvidersLimit(_ preset: ProviderPreset) throws {
        var configuration = GatewayConfiguration()
        preset.apply(to: &configuration)
        try configuration.validate()
        let total = configuration.pool.perAccount + configuration.events.perAccount
        #expect(total == preset.connectionBudget)
        #expect(configuration.accountMaxConnections == preset.connectionBudget)
        if let limit = preset.providerConnectionLimit { #expect(total < limit) }
        #expect(configuration.imap.security == .implicitTLS)
    }

    @Test func explicitSettingsAppliedAfterThePresetWin() {
        var configuration = GatewayConfiguration()
        ProviderPreset.outlook.apply(to: &configuration)
        configuration.imap.port = 1993
        configuration.pool.perAccount = 4
        #expect(configuration.imap.host == "outlook.office365.com")
        #expect(configuration.imap.port == 1993)
        #expect(configuration.pool.perAccount == 4)
    }
}
