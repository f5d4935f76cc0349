/// Who a request comes from: the socket's peer, or behind trusted proxies the address they
/// report in `X-Forwarded-For` or `Forwarded` (RFC 7239).
enum ClientAddress {
    /// `127.0.0.1:5000` → `127.0.0.1`, `[::1]:5000` → `::1`; anything else as it is.
    static func host(ofPeer remote: String) -> String {
        if remote.hasPrefix("["), let close = remote.firstIndex(of: "]") {
            return String(remote[remote.index(after: remote.startIndex)..<close])
        }
        if remote.filter({ $0 == ":" }).count == 1, let colon = remote.firstIndex(of: ":") {
            return String(remote[..<colon])
        }
        return remote
    }

    /// The client's address for a request from `peer` (no port). Only when `peer` is a trusted
    /// proxy are forwarding headers believed, read from the right: each trusted hop is skipped
    /// and the first address not trusted is the client (entries further left were written by
    /// the client itself and prove nothing). `X-Forwarded-For` wins over `Forwarded`.
    static func resolve(peer: String, headers: HTTPHeaders, trustedProxies: [IPNetwork]) -> String {
        guard !trustedProxies.isEmpty, isTrusted(peer, trustedProxies) else { return peer }
        var hops: [String] = []
        let forwardedFor = headers.values(for: "X-Forwarded-For")
        if !forwardedFor.isEmpty {
            for value in forwardedFor {
                hops += value.split(separator: ",").map { normalize($0) }
            }
        } else {
            for value in headers.values(for: "Forwarded") {
                for element in value.split(separator: ",") {
                    for pair in element.split(separator: ";") {
                        let parts = pair.split(separator: "=", maxSplits: 1)
                        guard parts.count == 2, parts[0].trimmingSpaces.lowercased() == "for" else { continue }
                        hops.append(normalize(parts[1]))
                    }
                }
            }
        }
        var client = peer
        for hop in hops.reversed() {
            guard !hop.isEmpty, IPNetwork.parseAddress(hop) != nil else { break }
            client = hop
            if !isTrusted(hop, trustedProxies) { break }
        }
        return client
    }

    static func isTrusted(_ address: String, _ networks: [IPNetwork]) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// ` "[2001:db8::1]:4711" ` → `2001:db8::1`; `192.0.2.1:80` → `192.0.2.1`.
    private static func normalize(_ raw: Substring) -> String {
        var text = raw.trimmingSpaces
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return host(ofPeer: text)
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
