import Foundation

/// Watchdog pings counted by the reader thread.
final class PingLog: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var done = false

    func add(_ pings: Int) { lock.withLock { total += pings } }
    var count: Int { lock.withLock { total } }
    func finish() { lock.withLock { done = true } }
    var finished: Bool { lock.withLock { done } }
}
