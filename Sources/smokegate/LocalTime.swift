import Foundation

/// Clock times for people, in the machine's time zone (or `TZ`), always with their UTC
/// offset: `2026-11-29 21:47:06 +08:00`.
///
/// A bare local time beside the UTC times of timeline notes and JSON (`due at …Z`) cannot be
/// told apart from them, and an operator on a server set to UTC would read a fire's hour
/// eight hours wrong. Every clock time the console prints goes through here; JSON output
/// stays RFC 3339 in UTC.
enum LocalTime {
    /// A formatter is costly to make: one is kept.
    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        formatter.timeZone = .current
        return formatter
    }()

    /// `date` to the second with its UTC offset, or `-` when there is none.
    static func format(_ date: Date?) -> String {
        guard let date else { return "-" }
        return formatter.string(from: date)
    }

}
