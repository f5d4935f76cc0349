import Foundation
import HTTPServer

/// `GET /folders/{folder}/messages/{uid}/html`: a message's HTML body as a document of its own,
/// for a sandboxed `<iframe>`, under a Content-Security-Policy that lets nothing run or leave.
///
/// The policy, not a sanitiser, is what keeps the mail's scripts and trackers out: no
/// `script-src` (and `sandbox` without `allow-scripts`, so not even an inline handler runs,
/// also when the URL is opened as a page of its own), images only from the gateway itself or
/// `data:` (remote ones only with `?remote=allow`, the user's choice), no fonts, media, frames,
/// forms, `<base>` or connections. `cid:` references become part URLs with a ticket each, as an
/// `<img>` cannot send credentials. `<meta http-equiv>` is defused: a refresh would navigate the
/// frame away, which a policy cannot forbid.
enum MessageHTMLView {
    /// What the view needs of the message's JSON representation.
    struct Source: Decodable {
        var htmlBody: String?
        var textBody: String?
        var attachments: [Attachment]?

        struct Attachment: Decodable {
            var contentId: String?
            var href: String
        }
    }

    /// The document: the HTML body with `cid:` rewritten, or the text body escaped in a `<pre>`.
    static func document(_ source: Source, partURL: (String) -> String?) -> String {
        guard let html = source.htmlBody else {
            let text = escape(source.textBody ?? "")
            return "<!doctype html><meta charset=\"utf-8\"><pre style=\"white-space:pre-wrap;font:inherit\">\(text)</pre>"
        }
        var byContentID: [String: String] = [:]
        for attachment in source.attachments ?? [] {
            guard let id = attachment.contentId else { continue }
            byContentID[normalizedContentID(id)] = attachment.href
        }
        var out = rewriteContentIDs(html) { id in
            byContentID[normalizedContentID(id)].flatMap(partURL)
        }
        out = defuseMetaRefresh(out)
        // A charset the browser must not guess: the JSON body is already decoded to UTF-8.
        return "<!doctype html><meta charset=\"utf-8\">" + out
    }

    /// The policy for the document; `frameAncestors` are the origins that may embed it.
    static func contentSecurityPolicy(remoteImages: Bool, imageOrigin: String?, frameAncestors: String) -> String {
        var images = "'self' data:"
        if let imageOrigin { images += " " + imageOrigin }
        if remoteImages { images += " https: http:" }
        return "default-src 'none'; img-src \(images); style-src 'unsafe-inline'; font-src 'none'; "
            + "media-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'; "
            + "frame-ancestors \(frameAncestors); sandbox allow-popups allow-popups-to-escape-sandbox"
    }

    /// `<ABC@x>` and `abc@x` and `cid:abc%40x` name the same part.
    static func normalizedContentID(_ id: String) -> String {
        var id = id.trimmingCharacters(in: .whitespaces)
        if id.lowercased().hasPrefix("cid:") { id = String(id.dropFirst(4)) }
        id = id.removingPercentEncoding ?? id
        if id.hasPrefix("<"), id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
        return id.lowercased()
    }

    /// Replaces each `cid:...` (up to a quote, space, `>` or `)`) for which `url` has an answer.
    static func rewriteContentIDs(_ html: String, url: (String) -> String?) -> String {
        var out = ""
        var rest = Substring(html)
        while let range = rest.range(of: "cid:", options: .caseInsensitive) {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let end = after.firstIndex(where: { "\"' \t\r\n>)".contains($0) }) ?? after.endIndex
            let id = String(after[..<end])
            if !id.isEmpty, let replacement = url(id) {
                out += escape(replacement)
            } else {
                out += rest[range.lowerBound..<end]
            }
            rest = after[end...]
        }
        return out + rest
    }

    /// `<meta http-equiv=...>` → `<meta data-defused-http-equiv=...>`.
    static func defuseMetaRefresh(_ html: String) -> String {
        html.replacingOccurrences(of: "http-equiv", with: "data-defused-http-equiv", options: .caseInsensitive)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
