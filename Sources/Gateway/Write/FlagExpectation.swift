import IMAP

/// What a message's flags must show after a sequence of STOREs: the flags the last change named
/// present or absent, or exactly a set after a replace. Flag names compare without case (RFC
/// 3501 §2.3.2 treats them so); `\Recent` is the server's alone and is never checked.
struct FlagExpectation: Sendable {
    private var present: Set<String> = []
    private var absent: Set<String> = []
    /// After a replace: the flags must be exactly `present`.
    private var exact = false

    init(_ changes: [StoreOperation]) {
        for change in changes {
            switch change {
            case .add(let flags):
                let names = Self.names(flags)
                present.formUnion(names)
                absent.subtract(names)
            case .remove(let flags):
                let names = Self.names(flags)
                absent.formUnion(names)
                present.subtract(names)
            case .replace(let flags):
                present = Self.names(flags)
                absent = []
                exact = true
            }
        }
    }

    /// Whether `flags`, as the server reports them, show the change.
    func isMet(by flags: [Flag]) -> Bool {
        let have = Self.names(flags)
        if exact { return have == present }
        return present.isSubset(of: have) && absent.isDisjoint(with: have)
    }

    private static func names(_ flags: [Flag]) -> Set<String> {
        Set(flags.map { $0.rawValue.lowercased() }.filter { $0 != "\\recent" })
    }
}

/// The words of a 422 `flags-not-kept`, single or in a batch.
enum FlagsNotKept {
    static let detail = "The IMAP server answered OK but the message's flags do not show the change "
        + "(the server does not keep such flags, e.g. keywords without \\* in PERMANENTFLAGS); 'flags' are the ones it has."
}
