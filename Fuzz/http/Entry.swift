// libFuzzer entry for the HTTP request decoder (compiled into module HTTPServer by scripts/fuzz-build.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let split = Int(input[0]) + 1
    let bytes = Array(input.dropFirst())
    var decoder = HTTPRequestDecoder(limits: HTTPParserLimits(maxTargetLength: 1024, maxHeaderBytes: 4096,
                                                              maxHeaderCount: 50, maxBodyBytes: 1 << 16))
    var offset = 0
    var bodyBytes = 0
    feeding: while offset < bytes.count {
        let end = min(bytes.count, offset + split)
        decoder.feed(Array(bytes[offset..<end]))
        offset = end
        while true {
            let event: HTTPRequestDecoder.Event
            do {
                event = try decoder.next()
            } catch {
                // Every parse error maps to a status; the connection would close here.
                precondition((400..<600).contains(error.httpError.status))
                break feeding
            }
            switch event {
            case .needMore: continue feeding
            case .head(let head):
                precondition(!head.method.rawValue.isEmpty)
                bodyBytes = 0
            case .body(let slice):
                bodyBytes += slice.count
                precondition(bodyBytes <= 1 << 16, "body beyond the limit")
            case .end: break
            }
        }
    }
    return 0
}
