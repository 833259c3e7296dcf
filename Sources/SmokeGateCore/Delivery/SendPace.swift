/// A receiver's sending limit kept before the vendor enforces it: at most `count` messages in
/// any `window` seconds, and nothing before a time the vendor named (a rate-limit answer).
/// Times are seconds on a monotonic clock, injected, so pacing is tested as a timeline.
public struct SendPace: Sendable, Equatable {
    public let count: Int
    public let window: Double
    /// When each of the last `count` messages went, oldest first.
    private var sent: [Double] = []
    /// The vendor said to wait until then.
    private var blockedUntil: Double = -.infinity

    public init(count: Int, window: Double) {
        self.count = max(1, count)
        self.window = window
    }

    /// No limit: every message may go at once.
    public static let unlimited = SendPace(count: Int.max, window: 0)

    /// How many messages may go at `now` without passing the limit.
    public func free(at now: Double) -> Int {
        guard now >= blockedUntil else { return 0 }
        guard count != Int.max else { return Int.max }
        return count - sent.filter { $0 > now - window }.count
    }

    /// When the next message may go (now, if one may).
    public func nextSlot(at now: Double) -> Double {
        var next = max(now, blockedUntil)
        if count != Int.max {
            let recent = sent.filter { $0 > next - window }
            if recent.count >= count { next = max(next, recent[recent.count - count] + window) }
        }
        return next
    }

    /// A message went at `now`.
    public mutating func record(at now: Double) {
        guard count != Int.max else { return }
        sent.append(now)
        sent.removeFirst(max(0, sent.count - count))
    }

    /// Whether the vendor said "too fast" within the last minute (or window): its count of what
    /// was sent is not ours (another sender may share the robot), so what waits goes merged.
    public func recentlyLimited(at now: Double) -> Bool {
        now < blockedUntil + Swift.max(window, 60)
    }

    /// The vendor answered "too fast": nothing goes before `until`.
    public mutating func block(until: Double) {
        blockedUntil = max(blockedUntil, until)
    }
}
