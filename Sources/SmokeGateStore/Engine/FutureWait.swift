import Foundation
import NIOCore

/// Waits on this thread for an event loop's answer, up to a monotonic deadline
/// (`DispatchTime`), so a step of the wall clock neither cuts nor stretches it.
enum FutureWait {
    /// The future's result, or nil if none came within `seconds`.
    static func result<Value: Sendable>(of future: EventLoopFuture<Value>, within seconds: TimeInterval)
        -> Result<Value, any Error>?
    {
        let answer = Answer<Value>()
        future.whenComplete { answer.set($0) }
        return answer.wait(seconds: seconds)
    }
}

/// One answer from the event loop, handed to the thread that waits for it.
private final class Answer<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let arrived = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    func set(_ result: Result<Value, any Error>) {
        lock.withLock { self.result = result }
        arrived.signal()
    }

    func wait(seconds: TimeInterval) -> Result<Value, any Error>? {
        guard arrived.wait(timeout: .now() + seconds) == .success else { return nil }
        return lock.withLock { result }
    }
}
