import Foundation

/// Nonces seen in the last 15 minutes: Aliyun refuses one used again in that time.
final class NonceBook: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: Date] = [:]

    /// True, and remembered, if `nonce` was not used within 15 minutes of `now`.
    func use(_ nonce: String, at now: Date) -> Bool {
        lock.withLock {
            seen = seen.filter { now.timeIntervalSince($0.value) < 900 }
            guard seen[nonce] == nil else { return false }
            seen[nonce] = now
            return true
        }
    }
}
