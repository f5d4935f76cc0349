import HTTPServer

/// `GET /folders/{folder}/events`: a `text/event-stream` of the folder's changes (IMAP IDLE).
extension GatewayContext {
    func registerEventRoutes(on router: inout Router) {
        let limits = eventStreams
        router.add(.get, "/folders/{folder}/events", name: "folderEvents", authenticated { [self] request, caller in
            let folder = try request.folderParameter()
            let headers: HTTPHeaders = ["Cache-Control": "no-cache", "X-Accel-Buffering": "no"]
            // With the mirror on, the stream shares the folder's watcher (no IMAP session of its own).
            if let mirrors, let watchers {
                let slot = try limits.reserve(for: caller.account.user, shared: true)
                if let watched = try await WatchedEventStream.open(
                    caller: caller, folder: folder, slot: slot, lastEventID: request.headers["Last-Event-ID"],
                    context: self, mirrors: mirrors, watchers: watchers) {
                    if request.method == .head {
                        watched.close()
                        return .stream(contentType: "text/event-stream", headers: headers) { _ in }
                    }
                    return .stream(contentType: "text/event-stream", headers: headers) { writer in await watched.run(writer) }
                }
                // No watcher for this folder now (budget used up, folder too big): a session of its own.
                slot.release()
            }
            // The slot first: over a cap nothing reaches the IMAP server.
            let slot = try limits.reserve(for: caller.account.user)
            // Login and EXAMINE before the head, so 401/404 come as problems, not as a broken stream.
            let stream = try await EventStream.open(caller: caller, folder: folder, slot: slot, context: self)
            if request.method == .head {
                // The server sends no body for HEAD and never calls the producer.
                await stream.close()
                return .stream(contentType: "text/event-stream", headers: headers) { _ in }
            }
            return .stream(contentType: "text/event-stream", headers: headers) { writer in
                await stream.run(writer)
            }
        })
    }
}
