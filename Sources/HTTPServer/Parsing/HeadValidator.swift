/// The rules that decide whether a parsed head can be trusted to frame its body
/// (RFC 9112 §6.1-6.3, RFC 9110 §7.2): Host, Content-Length, Transfer-Encoding, Connection, Expect.
enum HeadValidator {
    static func validate(_ line: RequestLineParser.RequestLine, fields: [(String, String)]) throws(HTTPParseError) -> RequestHead {
        let headers = HTTPHeaders(fields)
        try checkHost(headers, version: line.version)
        let framing = try bodyFraming(headers, version: line.version)

        let closeRequested = headers.containsToken("close", in: "Connection")
        let keepAlive = line.version.minor >= 1
            ? !closeRequested
            : headers.containsToken("keep-alive", in: "Connection") && !closeRequested

        var expectsContinue = false
        if let expect = headers["Expect"] {
            guard expect.trimmingOWS().equalsIgnoringASCIICase("100-continue") else {
                throw .unsupportedExpectation(expect)
            }
            // An HTTP/1.0 client cannot know 100 Continue (RFC 9110 §10.1.1): ignore it.
            expectsContinue = line.version.minor >= 1
        }
        return RequestHead(method: line.method, target: line.target, version: line.version, headers: headers,
                           framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    /// Exactly one Host in HTTP/1.1 (RFC 9112 §3.2), at most one in HTTP/1.0.
    private static func checkHost(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) {
        let hosts = headers.values(for: "Host")
        if hosts.count > 1 { throw .duplicateHost }
        guard let host = hosts.first else {
            if version.minor >= 1 { throw .missingHost }
            return
        }
        // uri-host [":" port]: no whitespace, path, query, fragment or userinfo.
        let forbidden: Set<UInt8> = [0x20, 0x09, UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"),
                                     UInt8(ascii: "@"), UInt8(ascii: "\\"), UInt8(ascii: ",")]
        if host.utf8.contains(where: { forbidden.contains($0) }) { throw .invalidHost }
    }

    private static func bodyFraming(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) -> BodyFraming {
        let transferEncodings = headers.values(for: "Transfer-Encoding")
        let contentLengths = headers.values(for: "Content-Length")
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
