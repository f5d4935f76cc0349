import Foundation
import HTTPServer

/// Reading small JSON request bodies (flag changes, targets, folder names).
extension HTTPRequest {
    /// The body decoded as `T`; 400 `bad-body` when it is not JSON of that shape (types read
    /// through `RequestObject` also refuse unknown and null members), 413 past `limit`.
    func jsonBody<T: Decodable>(_ type: T.Type, limit: Int = 64 * 1024) async throws -> T {
        let bytes = try await body.collect(upTo: limit)
        guard !bytes.isEmpty else { throw Problem.badBody("The request needs a JSON body.") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as RequestBodyError {
            throw Problem.badBody(error.detail)
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem.badBody("The JSON body lacks '\(key.stringValue)'.")
        } catch let DecodingError.typeMismatch(_, context) {
            if context.codingPath.isEmpty { throw Problem.badBody(RequestBodyError.notAnObject(path: []).detail) }
            throw Problem.badBody("Wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'.")
        } catch let DecodingError.valueNotFound(_, context) {
            throw Problem.badBody("Missing value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'.")
        } catch {
            throw Problem.badBody("The body is not valid JSON.")
        }
    }
}

extension Problem {
    /// 400 for a request body that cannot be used.
    static func badBody(_ detail: String) -> HTTPError {
        make(400, "bad-body", title: "Bad request body", detail: detail)
    }

    /// 409 with a slug naming the conflict.
    static func conflict(_ slug: String, _ detail: String, extensions: [String: JSONValue] = [:]) -> HTTPError {
        make(409, slug, title: "Conflict", detail: detail, extensions: extensions)
    }
}
