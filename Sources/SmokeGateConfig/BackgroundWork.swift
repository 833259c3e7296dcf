import Dispatch
import Foundation

/// Work started on another thread whose result is waited for later: lets the configuration
/// loader read the device registry and parse the chain on two cores at once. A thread of its
/// own, not a global queue's: a daemon reloading its configuration must not take a worker
/// from the pool its services run on for the seconds a large registry takes.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread {
            self.result = work()
            self.done.signal()
        }
        thread.name = "smokegate-config"
        thread.start()
    }

    /// The result, waiting for the work to finish if it has not.
    var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
