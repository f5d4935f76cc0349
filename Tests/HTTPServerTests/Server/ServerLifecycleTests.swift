import Foundation
import Testing
import TestSupport
import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

@Suite("Server: shutdown and many connections")
struct ServerLifecycleTests {
    @Test("shutdown lets a request in flight finish, closes idle connections, then refuses new ones")
    func gracefulShutdown() async throws {
        let entered = ProgressCounter()
        // The shutdown is what this test looks at, so it shuts the server down itself;
        // withTestServer's own shutdown afterwards finds it done (shutdown is idempotent).
        try await withTestServer(routes: { router in
            router.add(.get, "/slow") { _ in
                entered.add(1)
                try await Task.sleep(for: .milliseconds(400))   // the work in flight
                return .text("finished")
            }
            router.add(.get, "/fast") { _ in .text("fast") }
        }) { server in
            let idle = try await server.connect()
            try await idle.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await idle.readResponse().text == "fast")

            let busy = try await server.connect()
            try await busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await eventually { entered.current == 1 })

            let shutdown = Task { await server.server.shutdown() }
            #expect(await idle.isClosedByServer(timeout: .seconds(2)))
            let response = try await busy.readResponse()
            #expect(response.text == "finished")
            #expect(response.headers["Connection"] == "close")
            await shutdown.value
            await #expect(throws: (any Error).self) { _ = try await server.connect() }
        }
    }

    @Test("shutdown closes a request that outlives the grace period, and returns", arguments: [true, false])
    func graceExpires(honoursCancellation: Bool) async throws {
        let entered = ProgressCounter()
        try await withTestServer(configure: { $0.shutdownGracePeriod = .milliseconds(200) }, routes: { router in
            router.add(.get, "/forever") { _ in
                entered.add(1)
                // A handler that outlives the grace period is what this test is about.
                if honoursCancellation {
                    try await Task.sleep(for: .seconds(30))
                } else {
                    // Work that does not notice cancellation (a detached task is not cancelled with us).
                    await Task.detached { try? await Task.sleep(for: .seconds(30)) }.value
                }
                return .text("never")
            }
        }) { server in
            let connection = try await server.connect()
            try await connection.send("GET /forever HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await eventually { entered.current == 1 })
            let start = ContinuousClock.now
            let returned = ProgressCounter()
            let shutdown = Task {
                await server.server.shutdown()
                returned.add(1)
            }
            #expect(await connection.isClosedByServer(timeout: .seconds(5)))
            #expect(await eventually(timeout: .seconds(5)) { returned.current == 1 })
            #expect(ContinuousClock.now - start < .seconds(5))
            await shutdown.value
        }
    }

    @Test("1,000 concurrent keep-alive connections are all served, twice each")
    func thousandConnections() async throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 4096 {
            limit.rlim_cur = min(limit.rlim_max, 4096)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        try await withTestServer(configure: { $0.accessLogLevel = .trace }, routes: { router in
            router.add(.get, "/n/{n}") { request in .text(request.pathParameters["n"]!) }
        }) { server in
            let port = server.port
            let served = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let connection = try await RawConnection(port: port)
                        var ok = 0
                        for round in 0..<2 {
                            try await connection.send("GET /n/\(index)-\(round) HTTP/1.1\r\nHost: a\r\n\r\n")
                            if try await connection.readResponse(timeout: .seconds(30)).text == "\(index)-\(round)" { ok += 1 }
                        }
                        return ok
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(served == 2000)
        }
    }
}
