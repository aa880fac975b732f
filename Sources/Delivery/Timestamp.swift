import Foundation

/// The three spellings of a notice's date: RFC 5322 (mail), RFC 3339 (webhook), compact (outbox file names).
struct Timestamp {
    let year, month, day, hour, minute, second, weekday: Int

    /// The UTC calendar fields of `date`, to the second (fractions are dropped).
    init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = Int(fields.tm_year) + 1900
        month = Int(fields.tm_mon) + 1
        day = Int(fields.tm_mday)
        hour = Int(fields.tm_hour)
        minute = Int(fields.tm_min)
        second = Int(fields.tm_sec)
        weekday = Int(fields.tm_wday)
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Thu, 02 Jan 2025 03:04:05 +0000` (RFC 5322 section 3.3).
    var rfc5322: String {
        "\(Self.weekdays[weekday]), \(pad(day)) \(Self.months[month - 1]) \(pad(year, 4)) \(pad(hour)):\(pad(minute)):\(pad(second)) +0000"
    }

    /// `2025-01-02T03:04:05Z` (RFC 3339).
    var rfc3339: String {
        "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second))Z"
    }

    /// `20250102T030405Z`, which sorts by time as text.
    var compact: String {
        "\(pad(year, 4))\(pad(month))\(pad(day))T\(pad(hour))\(pad(minute))\(pad(second))Z"
    }

    private func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
