import IMAP
import MIME

extension MessageSummaryJSON {
    /// A summary from one FETCH response; RFC 2047 words decoded, problems collected.
    init(_ response: FetchResponse, uid: UID, fields: Set<SummaryField>) {
        self.init(uid: uid.rawValue)
        self.fields = fields
        var problems: [String] = []
        let items = response.items
        if let envelope = items.envelope {
            messageId = envelope.messageID?.trimmingASCIISpaces
            subject = envelope.subject.map { decodeHeader($0, into: &problems) }
            from = AddressJSON.list(envelope.from, problems: &problems)
            to = AddressJSON.list(envelope.to, problems: &problems)
            cc = AddressJSON.list(envelope.cc, problems: &problems)
            replyTo = AddressJSON.list(envelope.replyTo, problems: &problems)
            inReplyTo = envelope.inReplyTo?.trimmingASCIISpaces
            sentAt = envelope.date.flatMap { MailDate.parse($0)?.rfc3339 }
        }
        receivedAt = items.internalDate.flatMap(InternalDate.rfc3339)
        flags = (items.flags ?? []).map(\.rawValue)
        size = items.size
        hasAttachment = items.bodyStructure?.hasAttachment ?? false
        gmail = GmailJSON(items)
        decodingProblems = problems
    }
}

extension AddressJSON {
    /// Envelope addresses as JSON; group markers are dropped, names decoded.
    static func list(_ addresses: [EnvelopeAddress], problems: inout [String]) -> [AddressJSON] {
        addresses.compactMap { address in
            guard !address.isGroupStart, !address.isGroupEnd, let email = address.email else { return nil }
            let name = address.name.flatMap { raw -> String? in
                let decoded = MIMEHeaderDecoder.decodePhrase(raw)
                problems.append(contentsOf: decoded.problems.filter { !problems.contains($0) })
                return decoded.value.isEmpty ? nil : decoded.value
            }
            return AddressJSON(name: name, email: email)
        }
    }

    init(_ address: MailAddress) {
        self.init(name: address.name, email: address.email)
    }
}

/// RFC 2047 decoding of an unstructured header value, noting problems once each.
func decodeHeader(_ raw: String, into problems: inout [String]) -> String {
    let decoded = MIMEHeaderDecoder.decode(raw)
    for problem in decoded.problems where !problems.contains(problem) { problems.append(problem) }
    return decoded.value
}
