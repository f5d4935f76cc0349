import IMAPClient

/// A `MailSession` as the pool holds it (the pool is generic over a concrete type).
public final class SessionHandle: PooledConnection {
    public let session: any MailSession

    public init(_ session: any MailSession) { self.session = session }

    public func shutDown() async { await session.logout() }
}

/// Opens and logs in a session for an account.
public typealias SessionOpener = @Sendable (Account) async throws(IMAPError) -> any MailSession
