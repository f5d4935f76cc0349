/// Settings of `GET /folders/{folder}/events` (Server-Sent Events fed by IMAP IDLE).
public struct EventStreamConfiguration: Sendable {
    /// Open event streams per account at most; each holds its own IMAP session, outside the pool.
    public var perAccount = 2
    /// Open event streams per account at most that share a folder watcher (mirror on,
    /// `--events-watched-per-account`): they cost no IMAP session, so the cap is higher, but one
    /// account still cannot take every place under `global`.
    public var watchedPerAccount = 20
    /// Open event streams in all at most.
    public var global = 100
    /// How often a `: keep-alive` comment goes out; a failed write tells the client is gone.
    public var heartbeat: Duration = .seconds(15)
    /// IDLE is ended and re-issued this often: servers drop IDLE after about 30 minutes (RFC 2177).
    public var idleRenewal: Duration = .seconds(25 * 60)
    /// `Retry-After` of the 429 when a cap is reached: streams end when clients go, not on a schedule.
    public var retryAfter: Duration = .seconds(30)
    /// While in IDLE, leave it and send NOOP this often (`--events-idle-poll`); nil never does.
    /// For servers that only poll their own IDLE (Cyrus without idled, Courier without FAM: about
    /// once a minute): new mail is then reported within this interval instead.
    public var idlePoll: Duration?

    public init() {}

    /// Rejects caps and intervals that cannot work.
    func validate() throws(ConfigurationError) {
        guard perAccount >= 1, watchedPerAccount >= 1, global >= perAccount else {
            throw .invalidValue(setting: "event stream caps", value: "\(perAccount)/\(global)",
                                expected: "events-per-account >= 1, events-watched-per-account >= 1 and events-global >= events-per-account")
        }
        guard heartbeat >= .milliseconds(10) else {
            throw .invalidValue(setting: "events-heartbeat", value: "\(heartbeat)", expected: "at least 10ms")
        }
        if let idlePoll, idlePoll < .milliseconds(100) {
            throw .invalidValue(setting: "events-idle-poll", value: "\(idlePoll)", expected: "at least 100ms")
        }
        guard idleRenewal > .zero else {
            throw .invalidValue(setting: "event IDLE renewal", value: "\(idleRenewal)", expected: "above 0")
        }
    }
}
