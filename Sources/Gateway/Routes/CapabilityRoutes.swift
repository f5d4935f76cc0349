import HTTPServer
import IMAP

/// `GET /capabilities`.
extension GatewayContext {
    func registerCapabilityRoutes(on router: inout Router) {
        router.add(.get, "/capabilities", name: "capabilities", authenticated { [self] _, caller in
            let capabilities = try await withSession(caller, access: .read) { session in
                await session.capabilities()
            }
            return try Self.jsonResponse(CapabilitiesJSON(capabilities: capabilities))
        })
    }
}

extension CapabilitiesJSON {
    /// The announced capabilities and what they enable.
    init(capabilities: [Capability]) {
        let set = Set(capabilities)
        self.capabilities = set.map(\.rawValue).sorted()
        features = Features(
            move: set.contains(.move),
            uidplus: set.contains(.uidPlus),
            condstore: set.contains(.condStore) || set.contains(.qresync),
            specialUse: set.contains(.specialUse) || set.contains(.xlist),
            esearch: set.contains(.esearch),
            idle: set.contains(.idle)
        )
    }
}
