/// A value that identifies a message within a selected mailbox: a `UID` or a `SequenceNumber`.
///
/// The two are distinct types so that a message sequence number can never be sent where a UID
/// is meant (they coincide for small mailboxes, which hides such bugs until it is too late).
public protocol MessageIdentifier: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number as it appears on the wire (1...UInt32.max).
    var rawValue: UInt32 { get }
    init(rawValue: UInt32)
}

extension MessageIdentifier {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// A message's unique identifier (RFC 3501 §2.3.1.1); stable while UIDVALIDITY stays the same.
public struct UID: MessageIdentifier {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }
}

/// A message sequence number (RFC 3501 §2.3.1.2); shifts whenever a message is expunged.
public struct SequenceNumber: MessageIdentifier {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }
}

/// A mailbox's UIDVALIDITY: UIDs are only comparable within one value of it.
public typealias UIDValidity = UInt32

/// A CONDSTORE modification sequence (RFC 7162): 63-bit.
public typealias ModSequence = UInt64
