/// Runs `body` with a Dovecot of its own (for tests that stop, kill or restart it) and returns
/// only after that Dovecot has stopped, also when `body` throws. Starting and stopping block
/// while they poll, so both run off the cooperative pool.
@discardableResult
public func withDovecot<T>(
    users: [DovecotUser] = [.alice, .bob], tls: Bool = true, _ body: (Dovecot) async throws -> T
) async throws -> T {
    let dovecot = try await offCooperativePool { try Dovecot.start(users: users, tls: tls) }
    let result: T
    do {
        result = try await body(dovecot)
    } catch {
        await offCooperativePool { dovecot.stop() }
        throw error
    }
    await offCooperativePool { dovecot.stop() }
    return result
}
