import Foundation

/// A trickle of alarms as its task runs: how many the broker has acknowledged so far, and
/// the flag that ends it; read and set from any task.
final class Trickle: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var count = 0

    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
    /// Alarms the broker has acknowledged so far.
    var sent: Int { lock.withLock { count } }
    func acknowledged() { lock.withLock { count += 1 } }
}
