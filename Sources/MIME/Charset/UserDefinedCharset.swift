/// WHATWG x-user-defined: ASCII, and bytes 0x80–0xFF as the private-use U+F780–U+F7FF.
enum UserDefinedCharset {
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(Unicode.Scalar(byte < 0x80 ? UInt32(byte) : 0xF780 + UInt32(byte - 0x80))!)
        }
        return String(scalars)
    }
}
