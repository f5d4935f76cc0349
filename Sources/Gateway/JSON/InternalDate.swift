import MIME

/// IMAP INTERNALDATE (`"17-Jul-1996 02:44:25 -0700"`, RFC 3501 `date-time`) as RFC 3339 UTC.
enum InternalDate {
    /// `1996-07-17T09:44:25Z`, or nil when the text is not a date.
    ///
    /// MIME's date parser reads the INTERNALDATE form directly (without its general, lenient
    /// pass), so the calendar arithmetic lives in one place.
    static func rfc3339(_ raw: String) -> String? {
        MailDate.parse(raw)?.rfc3339UTC
    }
}
