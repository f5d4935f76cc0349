/// The folder mirrors' part of `/metrics` (families `mirror_*`), apart from `GatewayMetrics`
/// because the figures live in the mirror store, not in counters fed by requests.
enum MirrorMetrics {
    /// Prometheus text for `statistics`; `watcherSessions` is the IMAP sessions the folder
    /// watchers hold (IDLE), nil until watchers exist (the family is then left out).
    static func exposition(_ statistics: MirrorStatistics, watcherSessions: Int? = nil) -> String {
        var out = PrometheusText()
        out.family("mirror_bytes", type: "gauge", help: "Estimated bytes held by the folder mirrors (the --mirror-max-bytes budget counts these).")
        out.sample("mirror_bytes", [:], statistics.bytes)
        out.family("mirror_folders", type: "gauge", help: "Folders mirrored.")
        out.sample("mirror_folders", [:], statistics.folders)
        out.family("mirror_messages", type: "gauge", help: "Messages held by the folder mirrors.")
        out.sample("mirror_messages", [:], statistics.messages)
        out.family("mirror_reads_total", type: "counter",
                   help: "List pages, states and changes asked of a mirror, by result (hit: answered from it; miss: read from IMAP).")
        out.sample("mirror_reads_total", ["result": "hit"], statistics.hits)
        out.sample("mirror_reads_total", ["result": "miss"], statistics.misses)
        out.family("mirror_revalidations_total", type: "counter", help: "Mirrored reads that revalidated the mirror with IMAP first.")
        out.sample("mirror_revalidations_total", [:], statistics.revalidations)
        out.family("mirror_evictions_total", type: "counter", help: "Folder mirrors dropped to stay within the byte budget.")
        out.sample("mirror_evictions_total", [:], statistics.evictions)
        out.family("mirror_syncs_total", type: "counter",
                   help: "Mirror syncs, by kind (full: filled from nothing; qresync, condstore, flags: revalidations by mode; watcher: synced on IDLE news; idle: flag changes heard in IDLE (QRESYNC) applied without a command; fill: background fills of big folders started).")
        for kind in MirrorSyncKind.allCases {
            out.sample("mirror_syncs_total", ["kind": kind.rawValue], statistics.syncs[kind] ?? 0)
        }
        if let watcherSessions {
            out.family("mirror_watcher_sessions", type: "gauge", help: "IMAP sessions held by folder watchers (IDLE).")
            out.sample("mirror_watcher_sessions", [:], watcherSessions)
        }
        return out.text
    }
}

extension GatewayContext {
    /// The gauge `mirror_watcher_sessions`: the folder watchers holding an IMAP session.
    var mirrorWatcherSessions: Int? { watchers?.sessionCount }
}
