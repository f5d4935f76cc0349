/// The message list, the busiest document the gateway writes, without `JSONEncoder`.
/// Members go in sorted key order, as `encodeJSON` sorts them.
extension MessageListJSON: JSONWritable {
    /// A default summary takes 400 to 500 bytes; growing a 4 KiB buffer to a page's 25 KiB
    /// copied it three times.
    var jsonCapacityHint: Int { 512 + 512 * messages.count }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("folder"); writer.string(folder)
        writer.key("messages")
        writer.beginArray()
        // By index: `for message in messages` copies each summary out (a retain and a release
        // of every string and array in it) only to read it.
        for index in messages.indices { messages[index].write(to: &writer) }
        writer.endArray()
        writer.key("nextCursor"); writer.string(nextCursor)
        writer.key("total"); writer.integer(total)
        writer.key("uidValidity"); writer.integer(uidValidity)
        writer.endObject()
    }
}

extension MessageSummaryJSON: JSONWritable {
    func write(to writer: inout JSONWriter) {
        // One pass over the set instead of a hash lookup per member.
        var wanted: UInt32 = 0
        for field in fields { wanted |= field.bit }
        func has(_ field: SummaryField) -> Bool { wanted & field.bit != 0 }

        writer.beginObject()
        if has(.cc) { writer.key("cc"); AddressJSON.write(cc, to: &writer) }
        if !decodingProblems.isEmpty { writer.key("decodingProblems"); writer.strings(decodingProblems) }
        if has(.flags) { writer.key("flags"); writer.strings(flags) }
        if has(.from) { writer.key("from"); AddressJSON.write(from, to: &writer) }
        if has(.hasAttachment) { writer.key("hasAttachment"); writer.bool(hasAttachment) }
        if has(.inReplyTo) { writer.key("inReplyTo"); writer.string(inReplyTo) }
        if has(.messageId) { writer.key("messageId"); writer.string(messageId) }
        if has(.preview) { writer.key("preview"); writer.string(preview) }
        if has(.receivedAt) { writer.key("receivedAt"); writer.string(receivedAt) }
        if has(.replyTo) { writer.key("replyTo"); AddressJSON.write(replyTo, to: &writer) }
        if has(.sentAt) { writer.key("sentAt"); writer.string(sentAt) }
        if has(.size) { writer.key("size"); writer.integer(size) }
        if has(.subject) { writer.key("subject"); writer.string(subject) }
        if has(.to) { writer.key("to"); AddressJSON.write(to, to: &writer) }
        writer.key("uid"); writer.integer(uid)
        writer.endObject()
    }
}

extension SummaryField {
    /// A bit of its own, for testing membership without hashing.
    fileprivate var bit: UInt32 {
        switch self {
        case .uid: 1 << 0
        case .messageId: 1 << 1
        case .subject: 1 << 2
        case .from: 1 << 3
        case .to: 1 << 4
        case .cc: 1 << 5
        case .replyTo: 1 << 6
        case .inReplyTo: 1 << 7
        case .sentAt: 1 << 8
        case .receivedAt: 1 << 9
        case .flags: 1 << 10
        case .size: 1 << 11
        case .hasAttachment: 1 << 12
        case .preview: 1 << 13
        }
    }
}

extension AddressJSON {
    static func write(_ addresses: [AddressJSON], to writer: inout JSONWriter) {
        writer.beginArray()
        for address in addresses {
            writer.beginObject()
            writer.key("email"); writer.string(address.email)
            writer.key("name"); writer.string(address.name)
            writer.endObject()
        }
        writer.endArray()
    }
}
