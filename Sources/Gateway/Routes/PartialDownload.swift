import HTTPServer
import IMAP
import IMAPClient
import Sockets

/// Streams one section of a message (`""` for the whole) by partial fetches of
/// `streamChunkBytes`, handing each chunk on before fetching the next.
///
/// The download holds one session for its whole length (other requests of the account use
/// others). If that session dies mid-way, `withSession`'s one retry for reads runs this again on
/// a fresh session, which goes on from the offset reached, so the client gets every byte once.
struct PartialDownload: Sendable {
    let caller: Caller
    let folder: (name: String, mailbox: MailboxName)
    let uid: UID
    let uidValidity: UIDValidity
    let section: String
    /// The length announced in Content-Length, if any: the stream must deliver exactly that.
    let expectedBytes: Int?
    let context: GatewayContext

    func run(_ deliver: @escaping @Sendable ([UInt8]) async throws -> Void) async throws {
        let chunkSize = context.configuration.streamChunkBytes
        let offset = Protected(0)
        try await context.withFolder(caller, folder.mailbox, access: .read) { [self] session, state in
            guard state.uidValidity == uidValidity else {
                throw Problem.make(409, "uidvalidity-changed", title: "UIDVALIDITY changed",
                                   detail: "The folder '\(folder.name)' was recreated during the download.")
            }
            while true {
                let start = offset.withLock { $0 }
                let response = try await MessageLookup.fetch(
                    uid, [.uid, .bodyPeek(section: section, partial: (offset: start, length: chunkSize))],
                    folder: folder.name, session: session)
                let bytes = response.body(section: section) ?? []
                offset.withLock { $0 += bytes.count }
                if !bytes.isEmpty { try await deliver(bytes) }
                if bytes.count < chunkSize { break }
            }
        }
        let sent = offset.withLock { $0 }
        if let expectedBytes, sent != expectedBytes {
            // Content-Length promised another length: end the stream in error so the client
            // sees a broken download rather than a silently different one.
            throw IMAPError.protocolViolation("the server sent \(sent) bytes for a message it said has \(expectedBytes)")
        }
    }
}
