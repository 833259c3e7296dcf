import Foundation

/// A step of the wall clock, as the journal names it: `+16m0s`, `-1h0m0s`, `+2.5s`.
struct ClockStep: Sendable, Equatable, CustomStringConvertible {
    /// Seconds the wall clock moved: positive forward, negative back.
    var seconds: TimeInterval

    var description: String {
        let sign = seconds < 0 ? "-" : "+"
        let tenths = Int((abs(seconds) * 10).rounded())
        let whole = tenths / 10
        let (hours, minutes, rest) = (whole / 3_600, whole / 60 % 60, whole % 60)
        let secondsText = tenths % 10 == 0 || whole >= 60 ? "\(rest)s" : "\(rest).\(tenths % 10)s"
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(secondsText)" }
        if minutes > 0 { return "\(sign)\(minutes)m\(secondsText)" }
        return sign + secondsText
    }
}
