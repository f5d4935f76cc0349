import Logging
import Sockets

/// Writes one response: completes its headers (framing, Date, Server, request id, CORS,
/// Connection) and sends head and body, streaming with backpressure.
struct ResponseWriter {
    let transport: any HTTPTransport
    let context: ConnectionContext

    /// Bodies up to this size go out in the same write as the head: one syscall per response.
    private static let coalesceLimit = 64 * 1024

    struct Outcome {
        var bytesSent: Int
        /// False when the connection must close (asked to, or the body could not be framed or sent).
        var keepAlive: Bool
    }

    /// Headers the server sets itself; a handler's values for these are ignored.
    private static let serverOwned = ["Content-Length", "Transfer-Encoding", "Connection", "Date", "Server", "X-Request-ID"]

    func write(_ response: HTTPResponse, for head: RequestHead, requestID: String, keepAlive: Bool,
               corsHeaders: [(String, String)]) async -> Outcome {
        var keepAlive = keepAlive
        var wireHead = ResponseHead(status: response.status)
        // CORS fields join the handler's here, each once (`Vary` folded into one line).
        for (name, value) in CORSPolicy.merged(corsHeaders, into: response.headers) where !Self.serverOwned.contains(where: { $0.equalsIgnoringASCIICase(name) }) {
            wireHead.add(name, value)
        }
        wireHead.addTrusted("Date", HTTPDate.now())
        wireHead.add("Server", context.configuration.serverHeader)
        wireHead.addTrusted("X-Request-ID", requestID)  // validated visible ASCII, or generated

        let sendsBody = head.method != .head && !HTTPStatus.forbidsBody(response.status)
        let mayDeclareLength = response.status != 204 && !(100..<200).contains(response.status)
        var bodyBytes: [UInt8] = []
        var producer: (@Sendable (any HTTPBodyWriter) async throws -> Void)?
        var declaredLength: Int?
        var chunked = false
        switch response.body {
        case .empty:
            if mayDeclareLength, response.status != 304 { wireHead.addDecimal("Content-Length", 0) }
        case .bytes(let bytes):
            if mayDeclareLength { wireHead.addDecimal("Content-Length", bytes.count) }
            if sendsBody { bodyBytes = bytes }
        case .stream(let contentLength, let produce):
            if let contentLength {
                if mayDeclareLength { wireHead.addDecimal("Content-Length", contentLength) }
                declaredLength = contentLength
            } else if head.version.minor >= 1 {
                if mayDeclareLength { wireHead.addTrusted("Transfer-Encoding", "chunked") }
                chunked = true
            } else {
                // HTTP/1.0 has no chunked coding: the end of the body is the end of the connection.
                if sendsBody { keepAlive = false }
            }
            if sendsBody { producer = produce }
        }
        if !keepAlive {
            wireHead.addTrusted("Connection", "close")
        } else if head.version.minor == 0 {
            wireHead.addTrusted("Connection", "keep-alive")
        }

        var wire = wireHead.finish()
        var bytesSent = 0
        do {
            if !bodyBytes.isEmpty, bodyBytes.count <= Self.coalesceLimit {
                wire.append(contentsOf: bodyBytes)
                bodyBytes = []
            }
            try await transport.write(wire[...], timeout: context.configuration.writeTimeout)
            bytesSent += wire.count
            if !bodyBytes.isEmpty {
                try await transport.write(bodyBytes[...], timeout: context.configuration.writeTimeout)
                bytesSent += bodyBytes.count
            }
        } catch {
            return Outcome(bytesSent: bytesSent, keepAlive: false)
        }

        guard let producer else { return Outcome(bytesSent: bytesSent, keepAlive: keepAlive) }
        let writer = StreamBodyWriter(transport: transport, chunked: chunked, declaredLength: declaredLength,
                                      timeout: context.configuration.writeTimeout)
        do {
            try await producer(writer)
            try await writer.finish()
            return Outcome(bytesSent: bytesSent + writer.wireBytes, keepAlive: keepAlive)
        } catch {
            // The head is out; the only honest signal left is to cut the connection, so the
            // client sees a truncated body rather than a complete-looking one. A socket error
            // is the client leaving (a closed tab ends every event stream so): not an error of
            // ours, so it is logged at debug level; anything else failed on our side.
            let clientLeft = error is SocketError
            context.logger.log(level: clientLeft ? .debug : .error,
                               clientLeft ? "client left during a streamed response" : "streaming the response body failed",
                               metadata: ["request-id": "\(requestID)", "error": "\(String(reflecting: error))"])
            return Outcome(bytesSent: bytesSent + writer.wireBytes, keepAlive: false)
        }
    }
}
