import ArgumentParser

/// `imap-gateway serve`: run the HTTP gateway.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP gateway.")
    func run() async throws { throw ValidationError("serve is not built yet") }
}
