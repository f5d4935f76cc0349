/// A parameter of a body part (`("CHARSET" "utf-8")`); names keep the server's case.
public struct BodyParameter: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// Content-Disposition as BODYSTRUCTURE extension data gives it (`("ATTACHMENT" ("FILENAME" "a.pdf"))`).
public struct BodyDisposition: Hashable, Sendable {
    /// Lower-cased: `attachment`, `inline`, ...
    public var kind: String
    public var parameters: [BodyParameter]
    public init(kind: String, parameters: [BodyParameter]) { self.kind = kind; self.parameters = parameters }
}

/// A message's MIME structure as BODYSTRUCTURE describes it (RFC 3501 §7.4.2, RFC 9051 §7.5.2).
public indirect enum BodyStructure: Hashable, Sendable {
    case single(SinglePart)
    case multipart(Multipart)

    /// A leaf part: `text/plain`, `image/png`, or `message/rfc822` with its nested structure.
    public struct SinglePart: Hashable, Sendable {
        /// Lower-cased media type and subtype (`text`, `plain`); `application/octet-stream` when NIL.
        public var type: String
        public var subtype: String
        public var parameters: [BodyParameter]
        public var id: String?
        public var description: String?
        /// Lower-cased Content-Transfer-Encoding (`base64`, `quoted-printable`, `7bit`); `7bit` when NIL.
        public var encoding: String
        /// Encoded size in octets as the server reports it (may be -1 on broken servers).
        public var size: Int
        /// Text line count (text/* and message/rfc822), when present.
        public var lines: Int?
        /// For message/rfc822: the attached message's envelope and structure.
        public var message: AttachedMessage?
        public var md5: String?
        public var disposition: BodyDisposition?
        public var language: [String]
        public var location: String?

        public init(
            type: String, subtype: String, parameters: [BodyParameter] = [], id: String? = nil,
            description: String? = nil, encoding: String = "7bit", size: Int = 0, lines: Int? = nil,
            message: AttachedMessage? = nil, md5: String? = nil, disposition: BodyDisposition? = nil,
            language: [String] = [], location: String? = nil
        ) {
            self.type = type; self.subtype = subtype; self.parameters = parameters; self.id = id
            self.description = description; self.encoding = encoding; self.size = size
            self.lines = lines; self.message = message; self.md5 = md5
            self.disposition = disposition; self.language = language; self.location = location
        }
    }

    /// The envelope and structure of a message/rfc822 part.
    public struct AttachedMessage: Hashable, Sendable {
        public var envelope: Envelope
        public var body: BodyStructure
        public init(envelope: Envelope, body: BodyStructure) { self.envelope = envelope; self.body = body }
    }

    /// A multipart: its parts in order and its subtype (`mixed`, `alternative`, ...).
    public struct Multipart: Hashable, Sendable {
        public var parts: [BodyStructure]
        /// Lower-cased subtype.
        public var subtype: String
        public var parameters: [BodyParameter]
        public var disposition: BodyDisposition?
        public var language: [String]
        public var location: String?

        public init(
            parts: [BodyStructure], subtype: String, parameters: [BodyParameter] = [],
            disposition: BodyDisposition? = nil, language: [String] = [], location: String? = nil
        ) {
            self.parts = parts; self.subtype = subtype; self.parameters = parameters
            self.disposition = disposition; self.language = language; self.location = location
        }
    }
}
