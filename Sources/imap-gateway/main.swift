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

// Spelled out: a bare `await IMAPGatewayCommand.main()` in top-level code resolves to the synchronous
// overload, which refuses async subcommands at run time ("needs availability annotation").
func runAsyncRoot<Root: AsyncParsableCommand>(_ root: Root.Type) async {
    await root.main(nil)
}
await runAsyncRoot(IMAPGatewayCommand.self)
