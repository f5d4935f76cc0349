/// Polls `condition` until it holds or `timeout` passes and returns whether it held: tests wait
/// on a condition with a deadline, never a fixed sleep. The default deadline is generous because
/// on the shared 2-core machine a test process can stall for tens of seconds; it only costs time
/// when the condition never holds, i.e. when the test fails.
public func eventually(
    timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
