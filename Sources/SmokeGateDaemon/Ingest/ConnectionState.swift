import Foundation
import Synchronization

/// Whether the broker session is up, and since when: shared between the MQTT thread, the
/// status writer, the dispatcher and supervision.
final class ConnectionState: Sendable {
    private let value = Atomic<Bool>(false)
    private let since = Mutex<Date?>(nil)

    func set(_ connected: Bool, at now: Date = Date()) {
        since.withLock { since in
            if connected, !value.load(ordering: .relaxed) { since = now }
            if !connected { since = nil }
        }
        value.store(connected, ordering: .relaxed)
    }

    var isConnected: Bool { value.load(ordering: .relaxed) }

    /// When the session last came up with every subscription granted; nil while it is down.
    /// Supervision counts silence from here: while the gateway cannot hear, nobody is silent.
    var upSince: Date? { since.withLock { $0 } }
}
