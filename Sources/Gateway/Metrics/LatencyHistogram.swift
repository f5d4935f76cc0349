/// A Prometheus histogram of durations in seconds: fixed bucket bounds, counts kept per bucket
/// (not cumulative) so recording is one comparison loop and one increment.
struct LatencyHistogram: Sendable {
    /// Upper bounds in seconds, 5 ms to 10 s (the Prometheus client defaults).
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// `le` label values for `bounds`, formatted once.
    static let boundLabels: [String] = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"]

    /// One slot per bound plus the last for observations above every bound (`+Inf`).
    private(set) var slots = [Int](repeating: 0, count: bounds.count + 1)
    private(set) var sum: Double = 0
    private(set) var count = 0

    mutating func observe(_ seconds: Double) {
        var slot = 0
        while slot < Self.bounds.count, seconds > Self.bounds[slot] { slot += 1 }
        slots[slot] += 1
        sum += seconds
        count += 1
    }

    /// Cumulative counts per bound, as the exposition format wants them (`+Inf` excluded: it is `count`).
    var cumulative: [Int] {
        var running = 0
        return slots.dropLast().map { running += $0; return running }
    }
}

extension Duration {
    /// The duration in seconds, for metrics.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
