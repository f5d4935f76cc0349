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
        if let state { writer.key("state"); writer.string(state) }
        writer.key("total"); writer.integer(total)
        writer.key("uidValidity"); writer.integer(uidValidity)
        writer.endObject()
    }
}

extension MessageSummaryJSON: JSONWritable {
    func write(to writer: inout JSONWriter) {
        // One pass over the set instead of a hash lookup per member.
        var wanted = SummaryField.uid.bit
        for field in fields { wanted |= field.bit }

        writer.beginObject()
        var problemsWritten = decodingProblems.isEmpty
        for field in SummaryField.inKeyOrder where wanted & field.bit != 0 {
            // `decodingProblems` is not a field (it is written whenever there are any), but it
            // takes its place in the key order.
            if !problemsWritten, field.rawValue > "decodingProblems" {
                writer.key("decodingProblems"); writer.strings(decodingProblems)
                problemsWritten = true
            }
            writer.key(field.rawValue)
            field.value(in: self).write(to: &writer)
        }
        if !problemsWritten { writer.key("decodingProblems"); writer.strings(decodingProblems) }
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
