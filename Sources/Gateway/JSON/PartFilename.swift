import IMAP
import MIME

/// A part's filename from its BODYSTRUCTURE parameters, decoded from RFC 2231 and RFC 2047.
enum PartFilename {
    static func decode(_ part: BodyStructure.SinglePart) -> String? {
        let disposition = RFC2231.combine((part.disposition?.parameters ?? []).map { ($0.name, $0.value) }).parameters
        let content = RFC2231.combine(part.parameters.map { ($0.name, $0.value) }).parameters
        guard let raw = disposition["filename"] ?? content["name"], !raw.isEmpty else { return nil }
        return MIMEHeaderDecoder.decode(raw).value
    }
}
