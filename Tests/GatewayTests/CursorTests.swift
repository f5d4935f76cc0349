import Gateway
import IMAP
import Testing

@Suite("Cursor")
struct CursorTests {
    @Test("round trip", arguments: [
        Cursor(uidValidity: 1_795_828_905, lastUID: 2000, order: .newest),
        Cursor(uidValidity: 1, lastUID: 1, order: .oldest),
        Cursor(uidValidity: 0, lastUID: 42, order: .newest),
        Cursor(uidValidity: .max, lastUID: .max, order: .oldest),
    ])
    func roundTrip(cursor: Cursor) throws {
        let text = cursor.encoded
        #expect(try Cursor.decode(text) == cursor)
        // URL-safe as is: no percent-encoding needed, no padding.
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    @Test("different cursors encode differently")
    func distinct() {
        let base = Cursor(uidValidity: 7, lastUID: 100, order: .newest)
        var texts: Set<String> = [base.encoded]
        texts.insert(Cursor(uidValidity: 8, lastUID: 100, order: .newest).encoded)
        texts.insert(Cursor(uidValidity: 7, lastUID: 101, order: .newest).encoded)
        texts.insert(Cursor(uidValidity: 7, lastUID: 100, order: .oldest).encoded)
        #expect(texts.count == 4)
    }

    @Test("every single-character edit is detected")
    func tampering() {
        let text = Array(Cursor(uidValidity: 1_795_828_905, lastUID: 2000, order: .newest).encoded)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var accepted: [String] = []
        for position in text.indices {
            for replacement in alphabet where replacement != text[position] {
                var edited = text
                edited[position] = replacement
                if (try? Cursor.decode(String(edited))) != nil { accepted.append(String(edited)) }
            }
        }
        #expect(accepted.isEmpty, "edited cursors accepted: \(accepted.prefix(5))")
    }

    @Test("truncated or extended cursors are rejected")
    func lengthChanges() {
        let text = Cursor(uidValidity: 9, lastUID: 10, order: .oldest).encoded
        for count in 0..<text.count {
            #expect(throws: CursorError.malformed) { try Cursor.decode(String(text.prefix(count))) }
        }
        for suffix in ["A", "AA", "AAAA", "=", "==", "%3D"] {
            #expect(throws: CursorError.malformed) { try Cursor.decode(text + suffix) }
        }
    }

    @Test("junk is rejected", arguments: [
        "", "null", "undefined", "0", "abc", "AQBrCiypAAAH0OFynFI=", "AQBrCiyp AAAH0OFynFI",
        "AQBrCiyp+AAH0OFynFI", "AQBrCiyp/AAH0OFynFI", "🙂", "eyJ1aWQiOjF9", String(repeating: "A", count: 10_000),
    ])
    func junk(text: String) {
        #expect(throws: CursorError.malformed) { try Cursor.decode(text) }
    }
}

@Suite("PageRequest")
struct PageRequestTests {
    @Test("defaults: 50, newest first, no cursor")
    func defaults() throws {
        let request = try PageRequest.parse(limit: nil, order: nil, cursor: nil)
        #expect(request == PageRequest(limit: 50, order: .newest, cursor: nil))
        #expect(try PageRequest.parse(limit: nil, order: nil, cursor: "") == request)
    }

    @Test("valid limits", arguments: [("1", 1), ("50", 50), ("500", 500), ("007", 7)])
    func limits(text: String, value: Int) throws {
        #expect(try PageRequest.parse(limit: text, order: nil, cursor: nil).limit == value)
    }

    @Test("invalid limits are 400 errors naming the parameter", arguments: [
        "0", "501", "1000", "-1", "", " 5", "5 ", "+5", "5.0", "ten", "99999999999999999999", "٥",
    ])
    func badLimit(text: String) {
        #expect(throws: PageRequestError.invalidLimit(text)) { try PageRequest.parse(limit: text, order: nil, cursor: nil) }
        let error = PageRequestError.invalidLimit(text)
        #expect(error.status == 400 && error.parameter == "limit")
        #expect(error.description.contains("1 to 500"))
    }

    @Test("order", arguments: [("newest", MessageOrder.newest), ("oldest", .oldest)])
    func order(text: String, order: MessageOrder) throws {
        #expect(try PageRequest.parse(limit: nil, order: text, cursor: nil).order == order)
    }

    @Test("invalid order", arguments: ["", "Newest", "desc", "asc", "random"])
    func badOrder(text: String) {
        #expect(throws: PageRequestError.invalidOrder(text)) { try PageRequest.parse(limit: nil, order: text, cursor: nil) }
    }

    @Test("a cursor brings its order along; a contradicting order is an error")
    func cursorOrder() throws {
        let cursor = Cursor(uidValidity: 3, lastUID: 10, order: .oldest)
        let request = try PageRequest.parse(limit: "5", order: nil, cursor: cursor.encoded)
        #expect(request == PageRequest(limit: 5, order: .oldest, cursor: cursor))
        #expect(try PageRequest.parse(limit: nil, order: "oldest", cursor: cursor.encoded).cursor == cursor)
        #expect(throws: PageRequestError.orderConflict(cursor: .oldest, requested: .newest)) {
            try PageRequest.parse(limit: nil, order: "newest", cursor: cursor.encoded)
        }
    }

    @Test("a malformed cursor is a 400 bad-cursor")
    func malformedCursor() {
        #expect(throws: PageRequestError.malformedCursor) { try PageRequest.parse(limit: nil, order: nil, cursor: "nope") }
        #expect(PageRequestError.malformedCursor.status == 400)
        #expect(PageRequestError.malformedCursor.problemType == "bad-cursor")
    }
}

@Suite("Page")
struct PageTests {
    private let folder: [UID] = [1, 2, 3, 5, 8, 13, 21].map { UID(UInt32($0)) }

    private func walk(_ order: MessageOrder, limit: Int, uids: [UID], uidValidity: UInt32 = 77) throws -> [[UInt32]] {
        var pages: [[UInt32]] = []
        var request = PageRequest(limit: limit, order: order)
        while true {
            let page = try request.page(of: uids, uidValidity: uidValidity)
            #expect(page.total == Set(uids).count)
            pages.append(page.uids.map(\.rawValue))
            guard let next = page.nextCursor else { return pages }
            #expect(next.uidValidity == uidValidity && next.order == order)
            // What a client does: hand the text back.
            request = try PageRequest.parse(limit: String(limit), order: nil, cursor: next.encoded)
            if pages.count > uids.count { Issue.record("pagination does not end"); return pages }
        }
    }

    @Test("newest first, in pages, with no gaps or repeats")
    func newest() throws {
        #expect(try walk(.newest, limit: 3, uids: folder.shuffled()) == [[21, 13, 8], [5, 3, 2], [1]])
    }

    @Test("oldest first")
    func oldest() throws {
        #expect(try walk(.oldest, limit: 3, uids: folder) == [[1, 2, 3], [5, 8, 13], [21]])
    }

    @Test("an exact multiple of the limit ends without an empty page")
    func exactMultiple() throws {
        #expect(try walk(.oldest, limit: 7, uids: folder) == [[1, 2, 3, 5, 8, 13, 21]])
        #expect(try walk(.newest, limit: 1, uids: Array(folder.prefix(2))) == [[2], [1]])
    }

    @Test("an empty folder is one empty page")
    func empty() throws {
        let page = try PageRequest().page(of: [], uidValidity: 1)
        #expect(page == Page(uids: [], total: 0, nextCursor: nil))
    }

    @Test("new mail does not shift the next page")
    func newMail() throws {
        let first = try PageRequest(limit: 3, order: .newest).page(of: folder, uidValidity: 5)
        let later = folder + [UID(34), UID(55)]
        let second = try PageRequest(limit: 3, order: .newest, cursor: first.nextCursor).page(of: later, uidValidity: 5)
        #expect(second.uids.map(\.rawValue) == [5, 3, 2])
    }

    @Test("a cursor from another UIDVALIDITY is a 409 uidvalidity-changed")
    func staleCursor() {
        let cursor = Cursor(uidValidity: 5, lastUID: 8, order: .newest)
        let expected = PageRequestError.uidValidityChanged(cursor: 5, folder: 6)
        #expect(throws: expected) { try PageRequest(cursor: cursor).page(of: folder, uidValidity: 6) }
        #expect(expected.status == 409 && expected.problemType == "uidvalidity-changed")
    }
}
