// Callers of the client use the protocol model (MailboxName, UID, Flag...) and the TLS settings in
// its API; re-exporting them means `import IMAPClient` is enough.
@_exported import IMAP
@_exported import struct Sockets.TLSClientConfiguration
@_exported import enum Sockets.SocketError
