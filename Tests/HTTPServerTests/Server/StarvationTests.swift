import Foundation
import Testing
@testable import HTTPServer
import Sockets

/// Issue 13's starvation scenario, scaled down: a crowd of unauthenticated connections from many
/// addresses trickles request bodies a byte at a time and reconnects whenever it is closed,
/// while a normal client with credentials keeps asking. Without the caps, the reserved slots and
/// the whole-body deadline, the crowd held every slot and the normal client got nothing.
@Suite("Server: slot starvation")
struct StarvationTests {
    @Test("a crowd trickling bodies from 12 addresses cannot starve a client with credentials")
    func crowdCannotStarve() async throws {
        let server = try await TestServer.start(configure: {
            $0.maxConnections = 64
            $0.reservedAuthenticatedConnections = 16
            $0.maxConnectionsPerClient = 8
            $0.maxUnauthenticatedConnectionsPerClient = 8
            $0.bodyTimeout = .seconds(1)
        }, routes: SlowClientTests.routes)
        let port = server.port
        let stop = Protected(false)
        let attempts = Protected(0)
        // 12 addresses x 10 connections, each reconnecting when closed: more than the 64 slots.
        let crowd = Task {
            await withDiscardingTaskGroup { group in
                for address in 1...12 {
                    for index in 0..<10 {
                        group.addTask {
                            let path = index.isMultiple(of: 2) ? "/private" : "/upload"
                            while !stop.withLock({ $0 }) {
                                attempts.withLock { $0 += 1 }
                                guard let stream = try? await SourceBoundConnection.connect(from: "127.0.3.\(address)", port: port) else {
                                    try? await Task.sleep(for: .milliseconds(50))
                                    continue
                                }
                                let head = "POST \(path) HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n"
                                guard (try? await stream.write(Array(head.utf8), timeout: .seconds(2))) != nil else { stream.close(); continue }
                                // One byte every 300 ms until the server gives up on us.
                                while !stop.withLock({ $0 }),
                                      (try? await stream.write([0x61], timeout: .seconds(2))) != nil {
                                    try? await Task.sleep(for: .milliseconds(300))
                                }
                                stream.close()
                            }
                        }
                    }
                }
            }
        }
        defer { crowd.cancel() }
        // Let the crowd fill the unauthenticated share first.
        let filled = ContinuousClock.now + .seconds(10)
        while server.server.unauthenticatedConnections < 40, ContinuousClock.now < filled {
            try await Task.sleep(for: .milliseconds(20))
        }
        let crowdSize = server.server.unauthenticatedConnections

        var latencies: [Duration] = []
        var answered = 0
        let requests = 40
        for _ in 0..<requests {
            let start = ContinuousClock.now
            // A fresh connection each time: the hardest case, as it must win a slot every time.
            if let stream = try? await SourceBoundConnection.connect(from: "127.0.0.1", port: port) {
                let request = SlowClientTests.request("GET", "/private", authorized: true)
                if (try? await stream.write(Array(request.utf8), timeout: .seconds(5))) != nil,
                   let status = try? await SlowClientTests.status(on: stream, timeout: .seconds(5)), status == 200 {
                    answered += 1
                }
                stream.close()
            }
            latencies.append(ContinuousClock.now - start)
            // A client's pace, so the run spans several rounds of the crowd's 408s and reconnects.
            try await Task.sleep(for: .milliseconds(100))
        }
        stop.withLock { $0 = true }
        crowd.cancel()
        await crowd.value
        await server.server.shutdown()

        latencies.sort()
        let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
        let median = latencies[latencies.count / 2]
        print("starvation: \(answered)/\(requests) answered 200, median \(median), p99 \(p99); crowd held \(crowdSize) unauthenticated connections, \(attempts.withLock { $0 }) connection attempts")
        #expect(crowdSize >= 40, "the crowd never filled the unauthenticated share (\(crowdSize)): the test did not test")
        #expect(answered == requests)
    }
}
