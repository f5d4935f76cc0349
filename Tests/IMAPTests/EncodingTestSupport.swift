@testable import IMAP

/// Helpers shared by the command-encoding tests.
enum Wire {
    static let sync = CommandEncoder()
    static let literalPlus = CommandEncoder(literalPlus: true)

    /// The command's bytes as text (parts joined, continuation waits dropped).
    static func text(_ command: Command, tag: String = "A1", encoder: CommandEncoder = sync) throws -> String {
        String(decoding: try encoder.encode(command, tag: tag).bytes, as: UTF8.self)
    }
}
