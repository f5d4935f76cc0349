/// The wire form of Server-Sent Events (WHATWG HTML §9.2): `event: name`, `data: json`, blank line.
enum ServerSentEvent {
    /// `event: <name>\ndata: <json>\n\n`. The JSON comes from an encoder, which escapes control
    /// characters inside strings, so it is one line; any stray line break still gets its own
    /// `data:` prefix so the frame cannot be split into a forged event.
    static func frame(event name: String, json: [UInt8]) -> [UInt8] {
        frame(event: name, json: json, id: nil)
    }

    /// The frame with an `id: <id>` line when `id` is given: `EventSource` sends it back as
    /// `Last-Event-ID` when it reconnects. Ids are folder states (hex digits and dashes).
    static func frame(event name: String, json: [UInt8], id: String?) -> [UInt8] {
        var out: [UInt8] = []
        if let id, !id.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            out.append(contentsOf: "id: ".utf8)
            out.append(contentsOf: id.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        out.reserveCapacity(json.count + name.utf8.count + 16)
        out.append(contentsOf: "event: ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: "\ndata: ".utf8)
        for byte in json {
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                out.append(contentsOf: "\ndata: ".utf8)
            } else {
                out.append(byte)
            }
        }
        out.append(contentsOf: "\n\n".utf8)
        return out
    }

    /// A comment line: ignored by `EventSource`, keeps proxies from timing the stream out.
    static let keepAlive: [UInt8] = Array(": keep-alive\n\n".utf8)
}
