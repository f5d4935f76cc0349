// libFuzzer entry for the IMAP framer and response parser (compiled into module IMAP by scripts/fuzz-build.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIMAPResponses(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let split = Int(input[0]) + 1
    let bytes = Array(input.dropFirst())
    var parser = ResponseParser(limits: ParserLimits(maxLiteralSize: 1 << 16, maxNestingDepth: 32, maxLineLength: 1 << 16))
    var offset = 0
    feeding: while offset < bytes.count {
        let end = min(bytes.count, offset + split)
        parser.append(bytes[offset..<end])
        offset = end
        while true {
            do {
                guard try parser.next() != nil else { continue feeding }
            } catch {
                if error.isFatal { break feeding }
            }
        }
    }
    return 0
}
