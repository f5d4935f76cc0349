/// The message list, the busiest document the gateway writes, without `JSONEncoder`.
/// Members go in sorted key order, as `encodeJSON` sorts them.
extension MessageListJSON: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("folder"); writer.string(folder)
        writer.key("messages")
        writer.beginArray()
        for message in messages { message.write(to: &writer) }
        writer.endArray()
        writer.key("nextCursor"); writer.string(nextCursor)
        writer.key("total"); writer.integer(total)
        writer.key("uidValidity"); writer.integer(uidValidity)
        writer.endObject()
    }
}

extension MessageSummaryJSON: JSONWritable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if fields.contains(.cc) { writer.key("cc"); AddressJSON.write(cc, to: &writer) }
        if !decodingProblems.isEmpty { writer.key("decodingProblems"); writer.strings(decodingProblems) }
        if fields.contains(.flags) { writer.key("flags"); writer.strings(flags) }
        if fields.contains(.from) { writer.key("from"); AddressJSON.write(from, to: &writer) }
        if fields.contains(.hasAttachment) { writer.key("hasAttachment"); writer.bool(hasAttachment) }
        if fields.contains(.inReplyTo) { writer.key("inReplyTo"); writer.string(inReplyTo) }
        if fields.contains(.messageId) { writer.key("messageId"); writer.string(messageId) }
        if fields.contains(.preview) { writer.key("preview"); writer.string(preview) }
        if fields.contains(.receivedAt) { writer.key("receivedAt"); writer.string(receivedAt) }
        if fields.contains(.replyTo) { writer.key("replyTo"); AddressJSON.write(replyTo, to: &writer) }
        if fields.contains(.sentAt) { writer.key("sentAt"); writer.string(sentAt) }
        if fields.contains(.size) { writer.key("size"); writer.integer(size) }
        if fields.contains(.subject) { writer.key("subject"); writer.string(subject) }
        if fields.contains(.to) { writer.key("to"); AddressJSON.write(to, to: &writer) }
        writer.key("uid"); writer.integer(uid)
        writer.endObject()
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
