/// The client a login is made for, carried to the IMAP session opener without widening every
/// opener's signature: `GatewayContext.login` sets it, `IMAPConnectionSession.open` sends it to
/// the server as ID `x-originating-ip` before logging in, so the server's own failed-login
/// penalty (Dovecot's auth penalty, per address) falls on that client rather than on the
/// gateway's address, which every user shares. Dovecot believes the field only from addresses
/// in its `login_trusted_networks` (set it to the gateway's address); elsewhere it only logs it.
enum LoginOrigin {
    @TaskLocal static var clientAddress: String?
}
