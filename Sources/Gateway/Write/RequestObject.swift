/// A JSON object of a request body read strictly, as openapi.yaml's request schemas say:
/// `additionalProperties: false`, and no member is nullable. `JSONDecoder` alone ignores
/// unknown members and reads `null` as absent, so a misspelt `"subscibed": false` would be
/// answered 200 for a change never made.
struct RequestObject {
    private let container: KeyedDecodingContainer<AnyMemberKey>
    private let path: [String]

    /// The object `decoder` is at; throws `RequestBodyError` for a member not in `members`.
    init(_ decoder: any Decoder, members: [String]) throws {
        path = decoder.codingPath.map(\.stringValue)
        do {
            container = try decoder.container(keyedBy: AnyMemberKey.self)
        } catch DecodingError.typeMismatch {
            throw RequestBodyError.notAnObject(path: path)
        }
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !members.contains($0) }) {
            throw RequestBodyError.unknownMember(path: path + [unknown], allowed: members)
        }
    }

    /// A member that must be there and not `null`.
    func required<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        guard let value = try optional(type, name) else {
            throw RequestBodyError.missingMember(path: path + [name])
        }
        return value
    }

    /// A member that may be left out; `null` is refused rather than read as "left out".
    func optional<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
        let key = AnyMemberKey(name)
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { throw RequestBodyError.nullMember(path: path + [name]) }
        return try container.decode(type, forKey: key)
    }
}

/// What made a request body unusable, with the member's place (`flags.add`) for the 400.
enum RequestBodyError: Error {
    case notAnObject(path: [String])
    case unknownMember(path: [String], allowed: [String])
    case missingMember(path: [String])
    case nullMember(path: [String])
    /// A member present but unusable as given (an empty list the schema's `minItems` refuses).
    case invalid(path: [String], reason: String)

    /// The sentence for the problem document's `detail`.
    var detail: String {
        switch self {
        case .notAnObject(let path):
            path.isEmpty ? "The body must be a JSON object." : "'\(Self.name(path))' must be a JSON object."
        case .unknownMember(let path, let allowed):
            "'\(Self.name(path))' is not a member of this body (it takes \(allowed.map { "'\($0)'" }.joined(separator: ", ")))."
        case .missingMember(let path):
            "The JSON body lacks '\(Self.name(path))'."
        case .nullMember(let path):
            "'\(Self.name(path))' must not be null: leave it out instead."
        case .invalid(let path, let reason):
            "'\(Self.name(path))' \(reason)"
        }
    }

    private static func name(_ path: [String]) -> String { path.joined(separator: ".") }
}

/// Any member name, so `allKeys` lists every member the client sent.
struct AnyMemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
