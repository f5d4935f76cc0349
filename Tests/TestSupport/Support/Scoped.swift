/// Runs `body` with `resource`, then `stop`s it, also when `body` throws: a test's servers stop
/// before the test ends. Every `withX { x in ... }` helper of the test targets (gateways, scripted
/// and echo servers, HTTP test servers) is this one shape, so it is written once here.
@discardableResult
public func withScoped<Resource, T>(
    _ resource: Resource, stop: (Resource) async -> Void, _ body: (Resource) async throws -> T
) async throws -> T {
    let result: T
    do {
        result = try await body(resource)
    } catch {
        await stop(resource)
        throw error
    }
    await stop(resource)
    return result
}
