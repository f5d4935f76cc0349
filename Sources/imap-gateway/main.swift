import ArgumentParser

/// The `imap-gateway` command: `serve` runs the HTTP gateway, `probe` checks an IMAP server.
struct IMAPGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap-gateway",
        abstract: "An IMAP-to-REST gateway.",
        subcommands: [ServeCommand.self, ProbeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

await IMAPGatewayCommand.main()
