import HTTPServer
import IMAP
import IMAPClient

/// `POST /folders`, `PATCH /folders/{folder}` (rename, subscribe) and `DELETE /folders/{folder}`.
extension GatewayContext {
    func registerFolderWriteRoutes(on router: inout Router) {
        router.add(.post, "/folders", name: "createFolder", authenticated(createFolder))

        router.add(.patch, "/folders/{folder}", name: "updateFolder", authenticated(updateFolder))

        router.add(.delete, "/folders/{folder}", name: "deleteFolder", authenticated(deleteFolder))
    }

    private func createFolder(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let name = try await request.jsonBody(FolderCreateBody.self).name
        let folder = try await withSession(caller, access: .write) { session in
            let before = try await session.listFolders(subscribedOnly: false, includeStatus: false)
            try FolderNameRules.check(name, delimiter: before.first?.delimiter)
            let mailbox = MailboxName(name)
            if before.contains(where: { $0.name.displayName == name }) {
                throw Problem.conflict("already-exists", "The folder '\(name)' exists already.")
            }
            try await session.createFolder(mailbox)
            // Clients expect a folder they made to show up where subscriptions matter.
            try? await session.setSubscribed(mailbox, true)
            return try await Self.listing(of: mailbox, on: session)
        }
        return .json(FolderJSON(folder), status: 201, headers: ["Location": Paths.folder(name)])
    }

    private func updateFolder(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        let update = try await request.jsonBody(FolderUpdateBody.self)
        guard update.name != nil || update.subscribed != nil else {
            throw Problem.badBody("Give 'name' to rename or 'subscribed' to (un)subscribe.")
        }
        let result = try await withSession(caller, access: .write) { session in
            let listings = try await session.listFolders(subscribedOnly: false, includeStatus: false)
            guard listings.contains(where: { $0.name.wireBytes == folder.mailbox.wireBytes }) else {
                throw Problem.notFound("There is no folder '\(folder.name)'.")
            }
            var current = folder.mailbox
            if let newName = update.name, newName != folder.name {
                guard !folder.mailbox.isInbox else { throw Problem.badParameter("name", "INBOX cannot be renamed.") }
                try FolderNameRules.check(newName, delimiter: listings.first?.delimiter)
                if listings.contains(where: { $0.name.displayName == newName }) {
                    throw Problem.conflict("already-exists", "The folder '\(newName)' exists already.")
                }
                let target = MailboxName(newName)
                let subscribed = try await session.listFolders(subscribedOnly: true, includeStatus: false)
                try await session.renameFolder(folder.mailbox, to: target)
                try await Self.carrySubscriptions(subscribed, from: folder.mailbox, to: target,
                                                  delimiter: listings.first?.delimiter, on: session)
                current = target
            }
            if let subscribed = update.subscribed { try await session.setSubscribed(current, subscribed) }
            return try await Self.listing(of: current, on: session)
        }
        let json = FolderJSON(result)
        var headers = HTTPHeaders()
        if json.name != folder.name { headers.set("Location", json.href) }
        return .json(json, headers: headers)
    }

    private func deleteFolder(_ request: HTTPRequest, _ caller: Caller) async throws -> HTTPResponse {
        let folder = try request.folderParameter()
        guard !folder.mailbox.isInbox else { throw Problem.badParameter("folder", "INBOX cannot be deleted.") }
        try await withSession(caller, access: .write) { session in
            do {
                try await session.deleteFolder(folder.mailbox)
            } catch let error as IMAPError {
                guard case .no(_, let text) = error, text.code == nil else { throw error }
                // Cyrus and Courier say "NO Mailbox does not exist" without [NONEXISTENT]: the
                // server's LIST tells a missing folder (404) from a refusal (mapped as before).
                let listings = try await session.listFolders(subscribedOnly: false, includeStatus: false)
                guard listings.contains(where: { $0.name.wireBytes == folder.mailbox.wireBytes }) else {
                    throw Problem.notFound("There is no folder '\(folder.name)'.")
                }
                throw error
            }
            try? await session.setSubscribed(folder.mailbox, false)
        }
        return .noContent()
    }

    /// RENAME keeps no subscriptions on Cyrus, Courier or pymap (Courier even keeps the old name
    /// subscribed); Dovecot moves them. So subscribe the new names of what was subscribed, the
    /// folder and its children, and unsubscribe the old names; both are idempotent.
    private static func carrySubscriptions(_ subscribed: [MailboxListing], from old: MailboxName, to new: MailboxName,
                                           delimiter: Character?, on session: any MailSession) async throws {
        let oldName = old.displayName
        for listing in subscribed {
            let name = listing.name.displayName
            let suffix: Substring
            if name == oldName {
                suffix = ""
            } else if let delimiter, name.hasPrefix(oldName + String(delimiter)) {
                suffix = name.dropFirst(oldName.count)
            } else {
                continue
            }
            try await session.setSubscribed(MailboxName(new.displayName + suffix), true)
            try? await session.setSubscribed(listing.name, false)
        }
    }

    /// The folder as LIST reports it now, with its subscription.
    private static func listing(of mailbox: MailboxName, on session: any MailSession) async throws -> MailboxListing {
        let listings = try await session.listFolders(subscribedOnly: false, includeStatus: false)
        guard var listing = listings.first(where: { $0.name.wireBytes == mailbox.wireBytes }) else {
            throw Problem.notFound("The folder '\(mailbox.displayName)' is not listed by the server.")
        }
        let subscribed = try await session.listFolders(subscribedOnly: true, includeStatus: false)
        listing.subscribed = subscribed.contains { $0.name.wireBytes == mailbox.wireBytes }
        return listing
    }
}

/// `{"name": "Reports/2025"}`.
struct FolderCreateBody: Decodable {
    var name: String

    init(from decoder: any Decoder) throws {
        name = try RequestObject(decoder, members: ["name"]).required(String.self, "name")
    }
}

/// `{"name": "New name"}` and/or `{"subscribed": false}`.
struct FolderUpdateBody: Decodable {
    var name: String?
    var subscribed: Bool?

    /// Strict: a misspelt member is a 400, never a 200 for a change not made.
    init(from decoder: any Decoder) throws {
        let object = try RequestObject(decoder, members: ["name", "subscribed"])
        name = try object.optional(String.self, "name")
        subscribed = try object.optional(Bool.self, "subscribed")
    }
}
