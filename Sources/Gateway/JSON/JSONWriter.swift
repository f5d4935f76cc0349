/// Writes JSON straight into bytes, for the few documents big and frequent enough that
/// `JSONEncoder` showed up in profiles (a page of 50 summaries spent about a fifth of its CPU
/// time there: the encoder first builds a boxed tree of every value).
///
/// The output equals `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` byte for byte
/// (a test holds the two together), so clients cannot tell which one wrote a document. Callers
/// write members in sorted key order themselves. Separating commas are placed automatically.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next value or key needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes `"key":`; the value written next belongs to it. Keys are plain ASCII identifiers.
    mutating func key(_ key: StaticString) {
        writeKey(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// Writes `"key":` for a key known only at run time (a `SummaryField`'s raw value); it must
    /// be a plain ASCII identifier, as those are.
    mutating func key(_ key: String) {
        writeKey(key.utf8)
    }

    private mutating func writeKey(_ name: some Sequence<UInt8>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscaped(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        if value < 0 || value > Int64.max {
            bytes.append(contentsOf: String(value).utf8)
        } else {
            // Digit by digit: a page writes hundreds of numbers, a String each was measurable.
            let number = Int64(value)
            var divisor: Int64 = 1
            while divisor <= number / 10 { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(truncatingIfNeeded: 0x30 + (number / divisor) % 10))
                divisor /= 10
            }
        }
        needsComma = true
    }

    mutating func integer(_ value: (some BinaryInteger)?) {
        if let value { integer(value) } else { null() }
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true".utf8 : "false".utf8)
    }

    mutating func null() {
        raw("null".utf8)
    }

    /// An array of strings.
    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    // MARK: - Plumbing

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    private mutating func raw(_ text: String.UTF8View) {
        separate()
        bytes.append(contentsOf: text)
        needsComma = true
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The escapes `JSONEncoder` uses: short forms where JSON has them, `\u00XX` otherwise.
    private mutating func appendEscaped(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }
}

/// A document that can write itself with `JSONWriter` (it stays `Encodable` too).
protocol JSONWritable: Encodable {
    func write(to writer: inout JSONWriter)
    /// About how many bytes the document takes, so the writer grows its buffer once or never.
    var jsonCapacityHint: Int { get }
}

extension JSONWritable {
    var jsonCapacityHint: Int { 4096 }

    /// The document as bytes, written without `JSONEncoder`.
    var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: jsonCapacityHint)
        write(to: &writer)
        return writer.bytes
    }
}
