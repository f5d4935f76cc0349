/// What a scan of bytes as UTF-8 found; used to decide whether "utf-8" is a plausible reading.
struct UTF8Scan: Sendable {
    /// Bytes >= 0x80 seen at all.
    var hasNonASCII = false
    /// Well-formed multi-byte sequences.
    var validMultiByteSequences = 0
    /// Bytes that do not belong to any well-formed sequence.
    var invalidBytes = 0
    /// The input ends inside an otherwise well-formed sequence (a cut, not an encoding error).
    var truncatedAtEnd = false

    var isValid: Bool { invalidBytes == 0 && !truncatedAtEnd }

    /// Scans bytes following the well-formedness table of Unicode §3.9 (no overlongs, no surrogates).
    init(_ bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        var lookahead: UInt8? = nil
        func next() -> UInt8? {
            if let byte = lookahead { lookahead = nil; return byte }
            return iterator.next()
        }
        while let lead = next() {
            if lead < 0x80 { continue }
            hasNonASCII = true
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default:
                invalidBytes += 1
                continue
            }
            var ok = true
            for position in 1..<length {
                guard let byte = next() else { ok = false; truncatedAtEnd = true; break }
                let (low, high) = position == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                if byte < low || byte > high {
                    lookahead = byte  // it may start the next sequence
                    ok = false
                    break
                }
            }
            if ok { validMultiByteSequences += 1 } else if !truncatedAtEnd { invalidBytes += 1 }
        }
    }
}
