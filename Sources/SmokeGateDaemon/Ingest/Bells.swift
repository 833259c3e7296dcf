import Foundation
import Logging
import SmokeGateCore
import SmokeGateMQTT
import SmokeGateStore
import SmokeGateSync
import Synchronization

/// The bells of the services that act on incident changes.
struct Bells: Sendable {
    /// Wakes the escalation scheduler: a deadline was set.
    let scheduler = Doorbell()
    /// Wakes the dispatcher: notifications were written, or the broker is back.
    let dispatcher = Doorbell()
    /// Wakes the delivery service: calls were written, some may be for receivers.
    let deliveries = Doorbell()

    func wake(for effects: IncidentEffects) {
        if effects.notifications > 0 {
            dispatcher.ring()
            deliveries.ring()
        }
        if effects.earliestDeadline != nil { scheduler.ring() }
    }
}
