/// `%XX` escapes as used by RFC 2231 parameter values and RFC 5987/8187 `filename*`.
enum PercentEncoding {
    /// Replaces each valid `%XX` (either case) by its byte; invalid escapes stay literal.
    static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if input[index] == ASCII.percent, index + 2 < input.count,
               let high = ASCII.hexValue(input[index + 1]), let low = ASCII.hexValue(input[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }

    /// RFC 8187 `attr-char`: bytes that may appear unescaped in an extended parameter value.
    static func isAttrChar(_ byte: UInt8) -> Bool {
        if ASCII.isAlpha(byte) || ASCII.isDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes every byte that is not an `attr-char`, with uppercase hex.
    static func encodeAttrChars(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            if isAttrChar(byte) {
                output.append(byte)
            } else {
                output.append(ASCII.percent)
                output.append(ASCII.hexDigitsUpper[Int(byte >> 4)])
                output.append(ASCII.hexDigitsUpper[Int(byte & 0x0F)])
            }
        }
        return String(utf8Bytes: output)
    }
}
