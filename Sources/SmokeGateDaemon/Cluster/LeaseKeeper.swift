import Foundation
import Logging
import ServiceLifecycle
import SmokeGateStore
import SmokeGateSync

/// Keeps the cluster's lease: the leader renews it three times per lease; a standby asks for
/// it twice a second (or five times per lease, if shorter), so it takes over at most about
/// half a second after the lease ends. On becoming leader it rings the services that call, so
/// what fell due meanwhile is called at once; on a graceful stop it ends its lease, and a
/// standby takes over at its next look.
struct LeaseKeeper: NamedService {
    let store: Store
    let leadership: Leadership
    let node: String
    let lease: TimeInterval
    /// Rung when this node becomes leader.
    let bells: [Doorbell]
    let metrics: GatewayMetrics
    let logger: Logger

    /// How much sooner than the database the leader takes its lease as ended: the request's
    /// send time starts the local count, and clocks drift a little.
    var margin: Duration { .seconds(min(1, lease / 5)) }

    func run() async throws {
        var leading = false
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            leading = keep(wasLeading: leading)
            let pause: Duration = leading ? .seconds(lease / 3) : .seconds(min(0.5, lease / 5))
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
        guard leadership.holds() else { return }
        leadership.stepDown()
        do {
            try store.releaseLease(instance: leadership.instance)
            logger.notice("stopping: lease released for a standby", metadata: ["node": "\(node)"])
        } catch {
            logger.warning(
                "stopping: could not release the lease; a standby takes over when it ends", metadata: ["error": "\(error)"])
        }
    }

    /// One attempt to take or renew the lease; returns whether this node leads after it.
    /// `wasLeading` is what the last attempt left: a lease that ran out since (the process
    /// was paused, the database did not answer) is said so, once.
    private func keep(wasLeading: Bool) -> Bool {
        var said = false
        if wasLeading, !leadership.holds() {
            logger.critical("lease ran out before it was renewed: stepped down, calling nobody", metadata: ["node": "\(node)"])
            said = true
        }
        let sent = ContinuousClock.now
        do {
            if let grant = try store.takeOrRenewLease(node: node, instance: leadership.instance, seconds: lease) {
                if leadership.granted(epoch: grant.epoch, until: sent + .seconds(lease) - margin), leadership.holds() {
                    logger.notice("leading the cluster", metadata: ["node": "\(node)", "epoch": "\(grant.epoch)"])
                    bells.forEach { $0.ring() }
                }
            } else if leadership.holds() {
                leadership.stepDown()
                logger.critical("another node holds the lease: stepped down, calling nobody", metadata: ["node": "\(node)"])
                said = true
            }
        } catch {
            logger.error("cannot reach the database to keep the lease", metadata: ["node": "\(node)", "error": "\(error)"])
        }
        // A renewal that came back after its own end (the process paused, or the database slow,
        // during the round trip) leads nothing: said once, like a lease that ran out before it.
        if wasLeading, !said, !leadership.holds() {
            logger.critical("lease ran out before it was renewed: stepped down, calling nobody", metadata: ["node": "\(node)"])
        }
        metrics.leadership(leading: leadership.holds(), epoch: leadership.epoch)
        return leadership.holds()
    }
}
