/// HZ-GB-2312 (RFC 1843), the 7-bit form of GB2312 that Usenet and early Chinese mail used and
/// Python's email package still writes (`=?hz?b?...?=`); glibc's iconv does not have it.
///
/// Text starts in ASCII mode; `~{` switches to GB mode, where each pair of bytes 0x21–0x7E is a
/// GB2312 character with the high bits cleared; `~}` switches back; `~~` is `~`; `~` + newline
/// is a line continuation. The GB pairs are rebuilt as EUC-CN bytes and decoded by GB18030.
enum HZ {
    /// The decoded text and how many byte sequences were not valid HZ (each became U+FFFD).
    static func decode(_ bytes: [UInt8]) -> (string: String, invalidSequences: Int) {
        var output = ""
        var gbBytes: [UInt8] = []
        var invalid = 0
        var inGB = false
        var index = 0

        func flushGB() {
            guard !gbBytes.isEmpty else { return }
            if let converted = Iconv.convertToUTF8(gbBytes, from: "GB18030") {
                output += String(utf8Bytes: converted.utf8)
                invalid += converted.invalidSequences + (converted.truncated ? 1 : 0)
            } else {
                output += String(repeating: "\u{FFFD}", count: gbBytes.count / 2)
                invalid += gbBytes.count / 2
            }
            gbBytes.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.tilde, index + 1 < bytes.count {
                let next = bytes[index + 1]
                switch next {
                case ASCII.openBrace where !inGB:
                    inGB = true; index += 2; continue
                case ASCII.closeBrace where inGB:
                    flushGB(); inGB = false; index += 2; continue
                case ASCII.tilde where !inGB:
                    output.append("~"); index += 2; continue
                case ASCII.lf where !inGB:
                    index += 2; continue
                default:
                    break
                }
            }
            if inGB {
                if byte == ASCII.cr || byte == ASCII.lf {
                    // A line end ends GB mode (RFC 1843 says GB text never spans lines).
                    flushGB(); inGB = false
                    output.unicodeScalars.append(Unicode.Scalar(byte))
                    index += 1
                } else if index + 1 < bytes.count, (0x21...0x7E).contains(byte), (0x21...0x7E).contains(bytes[index + 1]) {
                    gbBytes.append(byte | 0x80)
                    gbBytes.append(bytes[index + 1] | 0x80)
                    index += 2
                } else {
                    flushGB()
                    output.append("\u{FFFD}")
                    invalid += 1
                    index += 1
                }
                continue
            }
            if byte < 0x80 {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output.append("\u{FFFD}")
                invalid += 1
            }
            index += 1
        }
        flushGB()
        return (output, invalid)
    }
}
