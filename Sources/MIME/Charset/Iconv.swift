#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversion to UTF-8 through the C library's iconv, which knows far more charsets than
/// Foundation does on Linux (GB18030, Big5, Shift_JIS, ISO-2022-JP, KOI8-R, ...).
enum Iconv {
    struct Result {
        var utf8: [UInt8]
        /// Input bytes that iconv could not convert; each became U+FFFD.
        var invalidSequences: Int
        /// The input ended inside a multi-byte sequence.
        var truncated: Bool
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Converts `bytes` from `charset` to UTF-8, or returns nil when iconv does not know the charset.
    ///
    /// A fresh descriptor per call keeps this free of shared state: `iconv_t` is not thread-safe,
    /// and opening one costs microseconds.
    static func convertToUTF8(_ bytes: [UInt8], from charset: String) -> Result? {
        let descriptor = iconv_open("UTF-8", charset)
        guard let descriptor, Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2)
        var invalid = 0
        var truncated = false
        let chunkCapacity = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunkCapacity)

        bytes.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return }
            var inPointer = UnsafeMutablePointer(mutating: base).withMemoryRebound(to: CChar.self, capacity: input.count) { $0 }
            var inLeft = input.count
            buffer.withUnsafeMutableBufferPointer { out in
                let outBase = out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: chunkCapacity) { $0 }
                var finished = false
                while !finished {
                    var outPointer: UnsafeMutablePointer<CChar>? = outBase
                    var outLeft = chunkCapacity
                    var inOptional: UnsafeMutablePointer<CChar>? = inPointer
                    let status: Int
                    if inLeft > 0 {
                        status = iconv(descriptor, &inOptional, &inLeft, &outPointer, &outLeft)
                        inPointer = inOptional!
                    } else {
                        // Flush the shift state of stateful encodings such as ISO-2022-JP.
                        status = iconv(descriptor, nil, nil, &outPointer, &outLeft)
                        finished = true
                    }
                    let produced = chunkCapacity - outLeft
                    if produced > 0 {
                        output.append(contentsOf: UnsafeRawBufferPointer(start: out.baseAddress, count: produced))
                    }
                    if status == -1 {
                        switch errno {
                        case E2BIG:
                            continue
                        case EILSEQ:
                            invalid += 1
                            output.append(contentsOf: replacement)
                            inPointer += 1
                            inLeft -= 1
                        case EINVAL:
                            truncated = true
                            output.append(contentsOf: replacement)
                            inPointer += inLeft
                            inLeft = 0
                        default:
                            // Unexpected: give up on the rest rather than loop.
                            invalid += inLeft
                            if inLeft > 0 { output.append(contentsOf: replacement) }
                            inLeft = 0
                        }
                    }
                }
            }
        }
        return Result(utf8: output, invalidSequences: invalid, truncated: truncated)
    }
}
