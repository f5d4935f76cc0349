import Foundation
import TestSupport

/// One server of each interop kind for the whole test process, started on first use: Cyrus and
/// Courier start in about a second, pymap in several (Python imports on a busy machine).
actor SharedInteropServers {
    static let shared = SharedInteropServers()
    private var servers: [InteropServerKind: InteropServer] = [:]

    func get(_ kind: InteropServerKind) async throws -> InteropServer {
        if let server = servers[kind] { return server }
        let server = try await InteropServer.startDetached(kind, users: [.alice])
        if let raced = servers[kind] {
            // Another caller started one while this one waited (actor reentrancy): keep theirs.
            server.stop()
            return raced
        }
        servers[kind] = server
        return server
    }
}
