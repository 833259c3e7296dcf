import Foundation
import Logging
import ServiceLifecycle
import SmokeGateCore
import SmokeGateStore

/// Watches that every detector is heard within its profile's `offline_after`: past it, an
/// `offline` incident opens for the grid (and a fire of that detector escalates at once);
/// the next proof of life closes it.
///
/// Deadlines live in a `OfflineWatch` heap, so the cost is per deadline, not per detector
/// per second. The loop sleeps until the earliest deadline, but at most `newsInterval`, to
/// pick up detectors heard again (whose incidents close) and detectors new to the gateway.
///
/// Unheard time is counted only while the gateway can hear and write (field rule 6): while the
/// broker session is down, while ingest is stuck on a commit the database refuses or holds,
/// or while the process itself was paused, nobody is declared offline, and afterwards every
/// detector has its whole `offline_after` again (see `HearingGaps`). A gateway outage must
/// not page a street's grid workers about a million detectors that were fine all along. Nor
/// is unheard time counted on the wall clock: a step of it moves the heap's deadlines and the
/// last-heard times together (field rule 5). Only registered detectors are supervised: a
/// device nobody registered is listed, never declared offline (rule 16).
struct SupervisionService: NamedService {
    let store: Store
    /// Whether this gateway writes what supervision finds: a standby listens and keeps its
    /// heap, and opens or closes nothing until it leads (what fell due meanwhile is then due).
    let leadership: Leadership
    /// The chain, the registry and their windows in force; a reload swaps them (see `adopt`).
    let live: LiveConfiguration
    let memory: DeviceMemory
    let connection: ConnectionState
    /// Whether ingest is stuck on the database: heartbeats are not being read meanwhile.
    let ingest: IngestHealth
    /// The gateway's time; each round holds its frame (see `FrameLock`).
    let clock: GatewayClock
    let bells: Bells
    /// Where a store error that no retry can fix stops the daemon.
    let fatal: FatalStop
    let logger: Logger

    static let newsInterval: Duration = .seconds(1)
    /// How long ingest may be stuck, or a round late, before it counts as a gap in hearing.
    static let stallTolerance: Duration = .seconds(1)
    /// Detectors found offline per transaction at most: short writes, so that an alarm's commit
    /// never waits long behind a storm's (the storm benchmark's fire p99 went from 4.7× its
    /// quiet value to 1.01× with 250 instead of 1,000, and one group per transaction).
    static let batchSize = 250

    var desk: IncidentDesk { live.desk }
    var plan: SupervisionPlan { live.plan }

    func run() async throws {
        var watch = OfflineWatch()
        var supervised = plan
        // Deadlines in the heap are wall times: when a step has moved the clock, they move by
        // as much (and so does the moment supervision started), before anything is judged.
        var (started, shifted) = clock.holdingFrame { (clock.now(), clock.shiftedSoFar) }
        clock.holdingFrame {
            for position in supervised.registry.indices {
                let id = supervised.registry.deviceID(at: position)
                let window = supervised.offlineAfter(at: position)
                if let deadline = memory.expectedBy(
                    id, at: position, of: supervised.generation, offlineAfter: window, start: started, now: started)
                {
                    watch.watch(id, until: deadline)
                }
            }
        }
        logger.info("supervising detectors", metadata: ["watched": "\(watch.count)"])
        var pendingRevived: [String] = []
        var gaps = HearingGaps(listeningSince: started)
        var roundEnded = ContinuousClock.now
        var slept: Duration = .zero
        var forgotten: Set<String> = []
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // Woken much later than asked: the process was paused (or starved), and heartbeats
            // went unread meanwhile.
            let paused = ContinuousClock.now - roundEnded > slept + Self.stallTolerance
            let current = plan
            if current.generation != supervised.generation {
                adopt(current, replacing: supervised, watch: &watch, forgotten: &forgotten)
                supervised = current
            }
            // No step is applied while a round judges who is offline: the heap, the last-heard times,
            // the session's start and the clock are all in one frame.
            clock.holdingFrame {
                let moved = clock.shiftedSoFar - shifted
                if moved != 0 {
                    watch.shift(by: moved)
                    started.addTimeInterval(moved)
                    gaps.shift(by: moved)
                    shifted += moved
                }
                pendingRevived += memory.takeRevived()
                let leading = leadership.holds()
                if leading { pendingRevived = closeOffline(pendingRevived, watch: &watch) }
                let deaf = paused || ingest.isStuck(longerThan: Self.stallTolerance)
                if let listeningSince = gaps.observe(deaf: deaf, sessionUpSince: connection.upSince, at: clock.now()), leading {
                    openOffline(&watch, listeningSince: listeningSince, forgotten: &forgotten)
                }
            }
            let untilNext = watch.nextDeadline.map(clock.until)
            // A standby leaves what fell due in the heap for when it leads: it looks again in a
            // second, rather than at a deadline already past.
            slept = leadership.holds() ? min(untilNext ?? Self.newsInterval, Self.newsInterval) : Self.newsInterval
            roundEnded = ContinuousClock.now
            let nap = slept
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: nap) }
        }
    }

    private func expectedBy(_ id: String, listeningSince: Date, now: Date) -> Date? {
        memory.expectedBy(id, offlineAfter: plan.offlineAfter(id), start: listeningSince, now: now)
    }

    /// Closes the `offline` incidents of detectors heard again; returns those to retry.
    private func closeOffline(_ revived: [String], watch: inout OfflineWatch) -> [String] {
        guard !revived.isEmpty else { return [] }
        let now = clock.now()
        var closed = 0
        defer {
            for id in revived.prefix(closed) where plan.isRegistered(id) {
                if let deadline = expectedBy(id, listeningSince: .distantPast, now: now) { watch.watch(id, until: deadline) }
            }
        }
        // In short transactions, as offline incidents are opened: a site coming back must not hold the writer.
        while closed < revived.count {
            let part = Array(revived[closed..<min(closed + Self.batchSize, revived.count)])
            do {
                bells.wake(for: try store.heardAgain(part, at: now, desk: desk))
            } catch {
                if fatal.failIfPermanent(error, loop: "supervision", logger: logger) { return Array(revived[closed...]) }
                logger.error(
                    "cannot close offline incidents; will retry", metadata: ["detectors": "\(part.count)", "error": "\(error)"])
                return Array(revived[closed...])
            }
            closed += part.count
        }
        return []
    }

    /// Opens `offline` incidents for detectors past their deadline, counting unheard time from
    /// `listeningSince` at the earliest.
    private func openOffline(_ watch: inout OfflineWatch, listeningSince: Date, forgotten: inout Set<String>) {
        while true {
            let now = clock.now()
            let unheard = watch.sweep(at: now, limit: Self.batchSize) {
                // A detector a reload took out of the registry is no longer watched.
                forgotten.remove($0) == nil ? expectedBy($0, listeningSince: listeningSince, now: now) : nil
            }
            guard !unheard.isEmpty else { return }
            do {
                bells.wake(for: try store.wentOffline(unheard.map { ($0, memory.lastHeard($0)) }, at: now, desk: desk))
                logger.notice(
                    "detectors offline: not heard past offline_after",
                    metadata: ["count": "\(unheard.count)", "first": "\(unheard[0])"])
            } catch {
                if !fatal.failIfPermanent(error, loop: "supervision", logger: logger) {
                    logger.error(
                        "cannot open offline incidents; will retry",
                        metadata: ["detectors": "\(unheard.count)", "error": "\(error)"])
                }
                memory.unmarkOffline(unheard)
                for id in unheard { watch.watch(id, until: now.addingTimeInterval(1)) }
                return
            }
            if unheard.count < Self.batchSize { return }
        }
    }
}
