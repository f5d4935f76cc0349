import Foundation
import HTTPServer
import Logging

/// The built-in inbox page: `ui/` of the repository (plain HTML, CSS and JS, no build step),
/// read once at start-up and served at `/ui/` when `--ui` is given.
struct StaticUI: Sendable {
    struct File: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    let files: [String: File]

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    ]

    /// The page's own policy: everything from the gateway, nothing inline, nothing remote;
    /// message HTML comes in a frame from the gateway, under its own stricter policy.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// Reads the files directly in `directory` with a known extension.
    static func load(from directory: String, logger: Logger) -> StaticUI {
        var files: [String: File] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            guard let type = contentTypes[(name as NSString).pathExtension.lowercased()],
                  let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            files[name] = File(bytes: Array(data), contentType: type)
        }
        if files["index.html"] == nil {
            logger.error("--ui is on but the page was not found; /ui/ will answer 404", metadata: ["directory": "\(directory)"])
        }
        return StaticUI(files: files)
    }

    func response(for name: String) throws(HTTPError) -> HTTPResponse {
        guard let file = files[name] else { throw Problem.notFound("The inbox page has no file '\(name)'.") }
        return HTTPResponse(status: 200, headers: [
            "Content-Type": file.contentType, "Content-Security-Policy": Self.contentSecurityPolicy,
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache",
        ], body: .bytes(file.bytes))
    }
}
