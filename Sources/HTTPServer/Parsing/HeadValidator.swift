/// The rules that decide whether a parsed head can be trusted to frame its body
/// (RFC 9112 §6.1-6.3, RFC 9110 §7.2): Host, Content-Length, Transfer-Encoding, Connection, Expect.
enum HeadValidator {
    static func validate(_ line: RequestLineParser.RequestLine, fields: HTTPHeaders) throws(HTTPParseError) -> RequestHead {
        // One pass over the fields collects everything the framing rules look at.
        var hosts: [String] = []
        var transferEncodings: [String] = []
        var contentLengths: [String] = []
        var connectionValues: [String] = []
        var expect: String?
        for (name, value) in fields {
            switch name.utf8.count {
            case 4 where name.equalsIgnoringASCIICase("Host"): hosts.append(value)
            case 6 where name.equalsIgnoringASCIICase("Expect"): expect = expect ?? value
            case 10 where name.equalsIgnoringASCIICase("Connection"): connectionValues.append(value)
            case 14 where name.equalsIgnoringASCIICase("Content-Length"): contentLengths.append(value)
            case 17 where name.equalsIgnoringASCIICase("Transfer-Encoding"): transferEncodings.append(value)
            default: break
            }
        }
        try checkHost(hosts, version: line.version)
        let framing = try bodyFraming(transferEncodings: transferEncodings, contentLengths: contentLengths,
                                      version: line.version)

        let connection = HTTPHeaders(connectionValues.map { ("Connection", $0) })
        let closeRequested = !connectionValues.isEmpty && connection.containsToken("close", in: "Connection")
        let keepAlive = line.version.minor >= 1
            ? !closeRequested
            : !connectionValues.isEmpty && connection.containsToken("keep-alive", in: "Connection") && !closeRequested

        var expectsContinue = false
        if let expect {
            guard expect.trimmingOWS().equalsIgnoringASCIICase("100-continue") else {
                throw .unsupportedExpectation(expect)
            }
            // An HTTP/1.0 client cannot know 100 Continue (RFC 9110 §10.1.1): ignore it.
            expectsContinue = line.version.minor >= 1
        }
        return RequestHead(method: line.method, target: line.target, version: line.version, headers: fields,
                           framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    /// Exactly one Host in HTTP/1.1 (RFC 9112 §3.2), at most one in HTTP/1.0.
    private static func checkHost(_ hosts: [String], version: HTTPVersion) throws(HTTPParseError) {
        if hosts.count > 1 { throw .duplicateHost }
        guard let host = hosts.first else {
            if version.minor >= 1 { throw .missingHost }
            return
        }
        // uri-host [":" port]: no whitespace, path, query, fragment, userinfo or list.
        for byte in host.utf8 {
            switch byte {
            case 0x20, 0x09, UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "@"),
                 UInt8(ascii: "\\"), UInt8(ascii: ","):
                throw .invalidHost
            default:
                continue
            }
        }
    }

    private static func bodyFraming(transferEncodings: [String], contentLengths: [String],
                                    version: HTTPVersion) throws(HTTPParseError) -> BodyFraming {
        if !transferEncodings.isEmpty {
            let joined = transferEncodings.joined(separator: ", ")
            // CL.TE / TE.CL smuggling: never guess which one the client meant.
            guard contentLengths.isEmpty else { throw .contentLengthWithTransferEncoding }
            // HTTP/1.0 has no chunked coding; its framing is in doubt (RFC 9112 §6.1).
            guard version.minor >= 1 else { throw .invalidTransferEncoding(joined) }
            let codings = joined.split(separator: ",").map { $0.trimmingOWS() }.filter { !$0.isEmpty }
            guard let last = codings.last, last.equalsIgnoringASCIICase("chunked") else {
                // "xchunked", "identity", "chunked, identity": the length cannot be known (§6.3: 400).
                throw .invalidTransferEncoding(joined)
            }
            guard codings.count == 1 else {
                if codings.dropLast().contains(where: { $0.equalsIgnoringASCIICase("chunked") }) {
                    throw .invalidTransferEncoding(joined)
                }
                throw .unsupportedTransferEncoding(joined)
            }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }
        // "Content-Length: 42, 42" and repeated equal fields are one length (RFC 9110 §8.6).
        var length: Int?
        for value in contentLengths {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = element.trimmingOWS()
                guard !digits.isEmpty, digits.utf8.count <= 18,
                      digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let parsed = Int(digits) else { throw .invalidContentLength }
                if let length, length != parsed { throw .conflictingContentLengths }
                length = parsed
            }
        }
        guard let length else { throw .invalidContentLength }
        return length == 0 ? .none : .length(length)
    }
}
