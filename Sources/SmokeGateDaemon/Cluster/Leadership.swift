import Foundation
import SmokeGateStore
import Synchronization

/// Whether this gateway may call people: a gateway on its own always may; in a cluster only
/// the node holding the lease, and only until its lease runs out on this process's monotonic
/// clock (`heldUntil`, set a margin before the database would let a standby take it), so a
/// leader that is paused or cut off from the database stops before another starts.
final class Leadership: Sendable {
    /// This node's name in the cluster; nil for a gateway on its own.
    let node: String?
    /// This process's own id in the lease: a restarted node is a new holder.
    let instance = UUID().uuidString.lowercased()
    private let state = Mutex<(epoch: Int64?, heldUntil: ContinuousClock.Instant?)>((nil, nil))

    init(node: String?) { self.node = node }

    var isClustered: Bool { node != nil }

    /// Whether the lease is held now, as far as this process can tell without asking.
    func holds(at now: ContinuousClock.Instant = .now) -> Bool {
        guard isClustered else { return true }
        return state.withLock { $0.heldUntil.map { now < $0 } ?? false }
    }

    /// `leader` or `standby`, for status, `/healthz` and `/metrics`.
    var role: String { holds() ? "leader" : "standby" }

    /// The epoch of the lease held, nil while standing by (and for a gateway on its own).
    var epoch: Int64? {
        guard isClustered else { return nil }
        return state.withLock { state in state.heldUntil.map { .now < $0 } == true ? state.epoch : nil }
    }

    /// Records a lease taken or renewed; returns whether this made the node leader (it was not).
    func granted(epoch: Int64, until: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            let wasLeading = state.heldUntil.map { .now < $0 } ?? false
            let previous = state.epoch
            state = (epoch, until)
            return !wasLeading || previous != epoch
        }
    }

    /// Gives the lease up in memory (another took it, or the process is stopping).
    func stepDown() { state.withLock { $0 = (nil, nil) } }

    /// Asked before every call: the lease held on this clock, then on the database's, under
    /// the epoch held (the fencing token).
    func mayCall(_ store: Store) throws -> Bool {
        guard isClustered else { return true }
        guard holds(), let epoch else { return false }
        return try store.confirmsLease(epoch: epoch, instance: instance)
    }
}
