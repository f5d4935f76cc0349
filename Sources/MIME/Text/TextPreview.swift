/// Short previews of message text for list views.
public enum TextPreview {
    /// The first `maxCharacters` characters of `text` with every run of whitespace collapsed to
    /// one space and leading/trailing whitespace removed. Reads only as much of `text` as it needs.
    public static func preview(text: String, maxCharacters: Int = 200) -> String {
        var output = String.UnicodeScalarView()
        var characters = 0
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00AD}" || scalar == "\u{200B}" || scalar == "\u{FEFF}" {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                guard characters + 1 < maxCharacters else { break }
                output.append(" ")
                characters += 1
                pendingSpace = false
            }
            // Counting scalars, not grapheme clusters, keeps this linear; a combining mark at
            // the cut is the only imprecision.
            guard characters < maxCharacters else { break }
            output.append(scalar)
            characters += 1
        }
        return String(output)
    }

    /// A preview of an HTML body: tags, comments, `<style>`/`<script>` content are removed and
    /// common entities decoded before collapsing whitespace.
    public static func preview(html: String, maxCharacters: Int = 200) -> String {
        preview(text: HTMLText.plainText(html, limit: maxCharacters * 8), maxCharacters: maxCharacters)
    }

    /// A preview straight from a (possibly truncated) body part as fetched over IMAP, e.g.
    /// `BODY.PEEK[1]<0.2048>`: transfer-decodes, decodes the charset, and drops the replacement
    /// characters a cut through a multi-byte character leaves at the end.
    public static func preview(encodedBody: some Collection<UInt8>, transferEncoding: String?, charset: String?,
                               isHTML: Bool = false, maxCharacters: Int = 200) -> String {
        var decoder = TransferDecoder(headerValue: transferEncoding)
        let decoded = decoder.decode(encodedBody) + decoder.finish()
        var text = Charset.decode(decoded, charset: charset).string
        while text.unicodeScalars.last == "\u{FFFD}" { text.unicodeScalars.removeLast() }
        return isHTML ? preview(html: text, maxCharacters: maxCharacters) : preview(text: text, maxCharacters: maxCharacters)
    }
}
