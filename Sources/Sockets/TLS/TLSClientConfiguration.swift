/// How a client verifies the server it connects to.
public struct TLSClientConfiguration: Sendable, Hashable {
    /// PEM file of trusted CA certificates; nil uses the system CA store.
    public var caFile: String?
    /// The name sent as SNI and checked against the certificate; nil means the host connected to.
    public var serverName: String?
    /// Accept any certificate, unverified. Only for tests and trusted lab networks.
    public var insecureSkipVerification: Bool

    public init(caFile: String? = nil, serverName: String? = nil, insecureSkipVerification: Bool = false) {
        self.caFile = caFile
        self.serverName = serverName
        self.insecureSkipVerification = insecureSkipVerification
    }
}
