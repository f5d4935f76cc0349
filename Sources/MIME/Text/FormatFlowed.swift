/// Unwraps `text/plain; format=flowed` bodies (RFC 3676) into paragraphs.
///
/// A line ending in a space continues on the next line of the same quote depth; leading
/// space-stuffing is removed; `-- ` (the signature separator) never flows. With `delsp=yes`
/// the trailing space of a flowed line is deleted (it was inserted by the sender).
public enum FormatFlowed {
    /// Unwraps `text` (LF line ends) and writes quote depth back as `> ` prefixes.
    public static func unwrap(_ text: String, deleteSpace: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var paragraph: [UInt8] = []
        var paragraphDepth: Int? = nil

        func flush() {
            guard let depth = paragraphDepth else { return }
            if depth > 0 {
                output.append(contentsOf: [UInt8](repeating: ASCII.greaterThan, count: depth))
                output.append(ASCII.space)
            }
            output.append(contentsOf: paragraph)
            output.append(ASCII.lf)
            paragraph.removeAll(keepingCapacity: true)
            paragraphDepth = nil
        }

        var lines = Array(text.utf8).split(separator: ASCII.lf, omittingEmptySubsequences: false)
        let endsWithLineBreak = text.utf8.last == ASCII.lf
        if endsWithLineBreak { lines.removeLast() }  // the empty "line" after the final LF
        for (number, rawLine) in lines.enumerated() {
            var line = rawLine[...]
            var depth = 0
            while line.first == ASCII.greaterThan { depth += 1; line = line.dropFirst() }
            if line.first == ASCII.space { line = line.dropFirst() }  // space-stuffing
            if paragraphDepth != nil && paragraphDepth != depth { flush() }  // depth change ends a paragraph
            let isSignature = line.elementsEqual("-- ".utf8)
            let flows = !isSignature && line.last == ASCII.space && number < lines.count - 1
            if flows && deleteSpace { line = line.dropLast() }
            paragraphDepth = depth
            paragraph.append(contentsOf: line)
            if !flows { flush() }
        }
        flush()
        if output.last == ASCII.lf && !endsWithLineBreak { output.removeLast() }
        return String(utf8Bytes: output)
    }
}
