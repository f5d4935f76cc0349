// libFuzzer entry for the search language (compiled with Sources/Gateway/Search into a module
// of its own by scripts/fuzz-build.sh; the IMAP module is linked as a library).
import IMAP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSearch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let key = try? SearchQuery.parse(text) else { return 0 }
    // Whatever parses must reach the wire as a well-formed command (user strings quoted or literal).
    for utf8 in [false, true] {
        let encoder = CommandEncoder(capabilities: [.imap4rev1, .literalPlus, .esearch], utf8Accepted: utf8)
        _ = try? encoder.encode(.uidSearch(key, charset: utf8 ? nil : "UTF-8", returning: nil), tag: "A1")
    }
    return 0
}
