import Foundation

/// Runs blocking work (a `poll`, a lock held with `Thread.sleep`) on a thread of its own and
/// awaits it. Tests run on Swift's cooperative pool, which has one thread per core: a test
/// blocking one of them for seconds starves every in-process daemon and timer sharing the
/// pool, and timing tests elsewhere in the run fail for no fault of theirs.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "test-blocking-work"
        thread.start()
    }
}
