import Synchronization

/// A token bucket per sender address of one push source: `rate` pushes a second, a burst of
/// twice as many. A platform pushes from a handful of addresses, so the table stays small; it
/// is emptied of full buckets when it grows past `tableLimit` (an address scan, say).
final class PushRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    static let tableLimit = 4_096
    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Int) {
        self.rate = Double(rate)
        burst = Double(rate) * 2
    }

    /// Takes one token for `sender`; false when its bucket is empty.
    func admit(_ sender: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            if buckets.count >= Self.tableLimit, buckets[sender] == nil {
                buckets = buckets.filter { refilled($0.value, now: now).tokens < burst }
            }
            var bucket = buckets[sender].map { refilled($0, now: now) } ?? Bucket(tokens: burst, updated: now)
            defer { buckets[sender] = bucket }
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }

    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Bucket {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Bucket(tokens: min(burst, bucket.tokens + max(0, seconds) * rate), updated: now)
    }
}
