import ArgumentParser

/// `imap-gateway probe`: connect, log in, print capabilities and folders.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Check an IMAP server: capabilities and folders.")
    func run() async throws { throw ValidationError("probe is not built yet") }
}
