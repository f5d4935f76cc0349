import HTTPServer

/// `GET /metrics`: Prometheus text exposition, no authentication (like `/health`; put it
/// behind the network's access control, it names no accounts or folders).
extension GatewayContext {
    func registerMetricsRoutes(on router: inout Router) {
        router.add(.get, "/metrics", name: "metrics") { [self] _ in
            var text = metrics.exposition(pool: await pool.counts, eventStreams: eventStreams.openCount, bodyCache: bodyCache.counts,
                                          connections: ConnectionCounts(budget: connectionBudget, backoff: connectionBackoff))
            if let mirrors { text += MirrorMetrics.exposition(mirrors.store.statistics, watcherSessions: mirrorWatcherSessions) }
            return HTTPResponse(status: 200, headers: ["Content-Type": PrometheusText.contentType, "Cache-Control": "no-store"],
                                body: .bytes(Array(text.utf8)))
        }
    }
}
