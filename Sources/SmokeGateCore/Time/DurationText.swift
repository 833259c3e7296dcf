/// Durations as the configuration writes them: `250ms`, `15s`, `3m`, `2h`, `1d`, or a
/// sum such as `1h30m`.
public enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The longest duration the gateway takes anywhere (configuration or command line): a
    /// century. Whatever adds a duration to a date, or turns it into a sleep or a deadline in
    /// nanoseconds, stays far inside its range; `99999999999d` parses, but is refused with a
    /// message that names this limit instead of trapping in date arithmetic.
    public static let longest: Duration = .seconds(36_500 * 86_400)

    /// `longest` as people write it.
    public static var longestText: String { format(longest) }

    /// The duration `text` names, or nil when it is not of that form or does not fit in
    /// 64-bit milliseconds (a product or a sum that overflows).
    public static func parse(_ text: String) -> Duration? {
        var remaining = Substring(text.trimmingASCIIWhitespace())
        guard !remaining.isEmpty else { return nil }
        var total: Int64 = 0
        while !remaining.isEmpty {
            let digits = remaining.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12, let value = Int64(digits) else { return nil }
            remaining = remaining.dropFirst(digits.count)
            let unitText = remaining.prefix { $0.isASCII && $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == unitText }) else { return nil }
            remaining = remaining.dropFirst(unitText.count)
            let (product, productOverflows) = value.multipliedReportingOverflow(by: unit.milliseconds)
            guard !productOverflows else { return nil }
            let (sum, sumOverflows) = total.addingReportingOverflow(product)
            guard !sumOverflows else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    /// Writes a duration back in the configuration's form, largest units first (`1h30m`).
    public static func format(_ duration: Duration) -> String {
        var milliseconds = duration.wholeMilliseconds
        if milliseconds == 0 { return "0s" }
        var text = milliseconds < 0 ? "-" : ""
        milliseconds = abs(milliseconds)
        for unit in units.reversed() where milliseconds >= unit.milliseconds {
            text += "\(milliseconds / unit.milliseconds)\(unit.suffix)"
            milliseconds %= unit.milliseconds
        }
        return text
    }
}

extension Duration {
    /// The whole milliseconds in this duration, rounded toward zero.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// This duration in seconds as a floating-point value.
    public var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let start = firstIndex { !isSpace($0) } ?? endIndex
        let end = lastIndex { !isSpace($0) }.map { index(after: $0) } ?? start
        return Substring(self[start..<end])
    }
}
