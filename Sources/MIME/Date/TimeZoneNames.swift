/// Zone names seen in Date headers and their offsets in minutes.
enum TimeZoneNames {
    /// RFC 5322 §4.3 obs-zone names, plus unambiguous names that real mailers write.
    /// Ambiguous names (IST, BST, CST in Asia) are deliberately absent: RFC 5322 says an unknown
    /// name means "offset unknown", which is honest; a guess would silently move the time.
    static let offsets: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0,
        "edt": -4 * 60, "est": -5 * 60, "cdt": -5 * 60, "cst": -6 * 60,
        "mdt": -6 * 60, "mst": -7 * 60, "pdt": -7 * 60, "pst": -8 * 60,
        "akst": -9 * 60, "akdt": -8 * 60, "hst": -10 * 60,
        "west": 60, "cet": 60, "met": 60, "cest": 120, "mest": 120, "eet": 120, "eest": 180,
        "msk": 180, "jst": 9 * 60, "kst": 9 * 60, "hkt": 8 * 60, "sgt": 8 * 60,
        "aest": 10 * 60, "aedt": 11 * 60, "nzst": 12 * 60, "nzdt": 13 * 60,
    ]

    /// Whether a word is a zone name we know to carry no offset information (military letters).
    static func isMilitary(_ name: String) -> Bool {
        name.count == 1 && name != "j" && name != "z"
    }
}
