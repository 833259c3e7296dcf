import Foundation
import Synchronization

/// Whether the broker session is up, and since when: shared between the MQTT thread, the
/// status writer, the dispatcher and supervision.
final class ConnectionState: Sendable {
    private let value = Atomic<Bool>(false)
    private let since = Mutex<Date?>(nil)
    private let clock: GatewayClock

    init(clock: GatewayClock) {
        self.clock = clock
    }

    func set(_ connected: Bool) {
        let now = clock.now()
        since.withLock { since in
            if connected, !value.load(ordering: .relaxed) { since = now }
            if !connected { since = nil }
        }
        value.store(connected, ordering: .relaxed)
    }

    var isConnected: Bool { value.load(ordering: .relaxed) }

    /// When the session last came up with every subscription granted; nil while it is down.
    /// Supervision counts unheard time from here: while the gateway cannot hear, nobody goes offline.
    var upSince: Date? { since.withLock { $0 } }

    /// Moves `upSince` with a wall-clock step (see `ClockStepWatch`), so that a step does not
    /// shorten or lengthen the time the gateway has been listening.
    func shift(by seconds: TimeInterval) {
        since.withLock { since in since = since?.addingTimeInterval(seconds) }
    }
}
