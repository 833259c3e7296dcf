import Dispatch

/// Work started on another thread whose result is waited for later: lets the configuration
/// loader read the device registry and parse the chain on two cores at once.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = work()
            self.done.signal()
        }
    }

    /// The result, waiting for the work to finish if it has not.
    var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
