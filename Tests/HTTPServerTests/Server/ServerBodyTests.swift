import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import HTTPServer

/// Counts bytes a streaming handler has handed to the socket.
final class ProgressCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held.
    private let lock = NSLock()
    private var value = 0
    func add(_ count: Int) { lock.withLock { value += count } }
    var current: Int { lock.withLock { value } }
}

private func bodyRoutes(_ router: inout Router) {
    router.add(.post, "/upload") { request in
        let body = try await request.body.collect(upTo: 1 << 20)
        return .text("\(body.count):\(String(decoding: body.prefix(16), as: UTF8.self))")
    }
    router.add(.post, "/ignore") { _ in .text("ignored") }
    // Echoes the request body upper-cased while it streams the response.
    router.add(.post, "/echo") { request in
        .stream(contentType: "text/plain") { writer in
            for try await chunk in request.body {
                try await writer.write(chunk.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 })
            }
        }
    }
    router.add(.get, "/stream") { request in
        let count = Int(request.query["chunks"] ?? "3") ?? 3
        return .stream(contentType: "text/plain") { writer in
            for index in 0..<count { try await writer.write(Array("chunk\(index);".utf8)) }
        }
    }
}

@Suite("Server: request and response bodies")
struct ServerBodyTests {
    @Test("a chunked request body reaches the handler de-chunked")
    func chunkedRequest() async throws {
        try await withTestServer(routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            try await connection.send("5\r\nhello\r\n")
            try await connection.send("7;ext=1\r\n, world\r\n0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.text == "12:hello, world")
            // The connection is still usable afterwards.
            try await connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await connection.readResponse().text == "3:abc")
        }
    }

    @Test("a streamed response of unknown length goes out chunked; HEAD does not run the stream")
    func chunkedResponse() async throws {
        try await withTestServer(routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /stream?chunks=4 HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(response.headers["Content-Length"] == nil)
            #expect(response.text == "chunk0;chunk1;chunk2;chunk3;")
            try await connection.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /stream?chunks=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await connection.readResponse(forHead: true)
            #expect(try await connection.readResponse().text == "chunk0;")
        }
    }

    @Test("a streamed response to HTTP/1.0 is close-delimited")
    func streamToHTTP10() async throws {
        try await withTestServer(routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("GET /stream?chunks=2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.headers["Connection"] == "close")
            #expect(response.text == "chunk0;chunk1;")
        }
    }

    @Test("an unread body is drained and the connection kept; a huge one closes it")
    func drain() async throws {
        try await withTestServer(configure: { $0.maxDrainBytes = 1024 }, routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789GET /stream?chunks=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "ignored")
            #expect(try await connection.readResponse().text == "chunk0;")

            let big = try await server.connect()
            try await big.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 4096))
            let response = try await big.readResponse()
            #expect(response.text == "ignored")
            #expect(response.headers["Connection"] == "close")
        }
    }

    @Test("Expect: 100-continue: 100 only once the handler reads; no 100 when it does not")
    func expectContinue() async throws {
        try await withTestServer(routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await connection.readResponse()
            #expect(interim.status == 100)
            try await connection.send("data")
            #expect(try await connection.readResponse().text == "4:data")

            let ignoring = try await server.connect()
            try await ignoring.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let final = try await ignoring.readResponse()
            #expect(final.status == 200)
            #expect(final.headers["Connection"] == "close")
            #expect(await ignoring.isClosedByServer())
        }
    }

    @Test("a streamed response can read the request body while it writes; the connection stays usable")
    func streamReadsBody() async throws {
        try await withTestServer(routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            try await connection.send("7\r\n, world\r\n0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "HELLO, WORLD")
            #expect(response.headers["Connection"] == nil)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await connection.readResponse().text == "ABC")

            // Expect: 100-continue: the final head goes out first, so no 100 may follow it; a client
            // that sends the body anyway is still echoed.
            let expecting = try await server.connect()
            try await expecting.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            try await expecting.send("data")
            let echoed = try await expecting.readResponse()
            #expect(echoed.status == 200)
            #expect(echoed.text == "DATA")
        }
    }

    @Test("a body over the limit is 413 before the handler runs, and the connection closes")
    func tooLarge() async throws {
        try await withTestServer(configure: { $0.maxRequestBodyBytes = 100 }, routes: bodyRoutes) { server in
            let connection = try await server.connect()
            try await connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 413)
            #expect(response.text.contains(#""status":413"#))
            #expect(await connection.isClosedByServer())

            let chunked = try await server.connect()
            let piece = String(repeating: "y", count: 60)
            try await chunked.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n\(piece)\r\n3c\r\n\(piece)\r\n0\r\n\r\n")
            #expect(try await chunked.readResponse().status == 413)
        }
    }

    @Test("backpressure: a producer stalls while the client does not read, then all bytes arrive")
    func backpressure() async throws {
        let total = 64 << 20
        let chunk = [UInt8](repeating: 0x61, count: 64 << 10)
        let produced = ProgressCounter()
        try await withTestServer(routes: { router in
            router.add(.get, "/big") { _ in
                .stream(contentType: "application/octet-stream", contentLength: total) { writer in
                    for _ in 0..<(total / chunk.count) {
                        try await writer.write(chunk)
                        produced.add(chunk.count)
                    }
                }
            }
        }) { server in
            let connection = try await server.connect()
            try await connection.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            // Wait until the producer stops advancing: the socket buffers are full.
            var last = -1
            var stableSince = ContinuousClock.now
            let settled = await eventually(timeout: .seconds(10)) {
                let now = produced.current
                if now != last {
                    last = now
                    stableSince = ContinuousClock.now
                }
                return now > 0 && ContinuousClock.now - stableSince > .milliseconds(300)
            }
            #expect(settled)
            #expect(produced.current < 16 << 20, "the producer ran ahead of the reader: \(produced.current) bytes")
            let response = try await connection.readResponse(timeout: .seconds(60))
            #expect(response.body.count == total)
            #expect(produced.current == total)
        }
    }

    @Test("URLSession posts a body and reads a chunked stream")
    func urlSessionBodies() async throws {
        try await withTestServer(routes: bodyRoutes) { server in
            let session = URLSession(configuration: .ephemeral)
            var post = URLRequest(url: server.baseURL.appendingPathComponent("upload"))
            post.httpMethod = "POST"
            post.httpBody = Data("from urlsession".utf8)
            let (data, _) = try await session.data(for: post)
            #expect(String(decoding: data, as: UTF8.self) == "15:from urlsession")
            let (stream, _) = try await session.data(from: URL(string: "http://127.0.0.1:\(server.port)/stream?chunks=3")!)
            #expect(String(decoding: stream, as: UTF8.self) == "chunk0;chunk1;chunk2;")
        }
    }
}
