import Foundation
import Logging
import ServiceLifecycle
import SmokeGateCore
import SmokeGateStore

/// Fires incident deadlines from the database: sleeps until the earliest one (no fixed
/// tick), is woken early when an incident opens or another process changes the database,
/// and after a restart fires at once whatever fell due while the daemon was down.
struct EscalationScheduler: NamedService {
    let store: Store
    /// Whether this gateway calls people now (in a cluster, only its leader does).
    let leadership: Leadership
    let clock: GatewayClock
    /// The ladder and the chain in force; a reload swaps them between steps.
    let live: LiveConfiguration
    /// `scheduler` is rung when a deadline is set here or incidents change elsewhere; this
    /// rings `dispatcher` when a deadline has written calls to the outbox.
    let bells: Bells
    let monitor: LoopMonitor
    let metrics: GatewayMetrics
    let logger: Logger

    /// How many incidents one transaction fires at most, so that a backlog (10,000 incidents
    /// due together after an outage) is worked through in short writes.
    static let batchSize = 500

    var desk: IncidentDesk { live.desk }

    func run() async throws {
        await bells.scheduler.serve(failure: "cannot fire escalation deadlines", logger: logger, monitor: monitor) {
            // A standby fires nothing: it is rung when it becomes leader.
            guard leadership.holds() else { return nil }
            try releaseEndedSilences()
            try fireDue()
            try sendDueGroups()
            let next = [try store.nextDeadline(), try store.nextSilenceEnd(), try store.nextGroupDue()].compactMap { $0 }.min()
            return next.map(clock.until)
        }
    }

    /// Silences that ended (or were lifted by a process that did not release them): what they
    /// hid and is still true is called now (rule 12).
    private func releaseEndedSilences() throws {
        let effects = try clock.holdingFrame { try store.releaseSilences(at: clock.now(), desk: desk) }
        bells.wake(for: IncidentEffects(notifications: effects.notifications))
        if effects.notifications > 0 {
            logger.notice(
                "a silence ended while what it hid is still true: calling", metadata: ["calls": "\(effects.notifications)"])
        }
    }

    /// Maintenance groups whose message is due (field rule 6): one message per unit and kind.
    private func sendDueGroups() throws {
        while true {
            // One group per transaction: a group of 500 detectors rewrites 500 member rows, and an
            // alarm's commit must not wait behind forty of them.
            let (groups, effects) = try clock.holdingFrame { try store.flushDueGroups(at: clock.now, desk: desk, limit: 1) }
            bells.wake(for: IncidentEffects(notifications: effects.notifications))
            if effects.notifications > 0 {
                logger.info("grouped maintenance messages written", metadata: ["messages": "\(effects.notifications)"])
            }
            if groups == 0 { return }
        }
    }

    private func fireDue() throws {
        while true {
            // The time is read inside the transaction, with no clock step applied meanwhile.
            let (fired, effects, lateness) = try clock.holdingFrame {
                try store.fireDeadlines(at: clock.now, limit: Self.batchSize, desk: desk)
            }
            metrics.deadlinesFired(lateness: lateness)
            bells.wake(for: IncidentEffects(notifications: effects.notifications))
            if fired > 0 {
                logger.info(
                    "escalation deadlines fired", metadata: ["incidents": "\(fired)", "calls": "\(effects.notifications)"])
            }
            if fired < Self.batchSize { return }
        }
    }
}
