// libFuzzer entry for the MIME walker and header decoders (compiled into module MIME by scripts/fuzz-build.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let message = MIMEMessage.parse(bytes)
    _ = message.subject
    _ = MIMEHeaderDecoder.decode(bytes)
    _ = AddressList.parse(bytes)
    _ = EncodedWord.decode(String(decoding: bytes, as: UTF8.self))
    return 0
}
