/// Why a `cursor` parameter was rejected; the API answers 400 `bad-cursor`.
public enum CursorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not one of ours: not base64url, wrong length or version, checksum mismatch, or edited.
    case malformed

    public var description: String {
        "the cursor is not one this server issued (or it was changed); start again without a cursor"
    }
}
