import Foundation
import Logging
import ServiceLifecycle
import SmokeGateStore

/// Keeps field rule 5: a wall-clock step (NTP correcting a stale clock, an operator, a time
/// sync finishing after the daemon started) neither calls a tier early or late nor declares
/// anyone offline.
///
/// Four times a second it compares the wall clock with the gateway's (`GatewayClock`, which
/// runs on the monotonic clock). When they disagree by more than `threshold`, it moves what
/// is a schedule rather than a record by the step, all under the exclusive side of the
/// clock's frame lock: the database's deadlines, ladder origins and retry times (one durable
/// transaction), the last-heard times in memory, the moment the broker session came up, and
/// last the clock itself. Every deadline then stays the same real time away, and the
/// gateway's times agree with the wall clock again (and with the CLI, another process).
/// Supervision notices the clock's `shiftedSoFar` and moves its own heap.
struct ClockStepWatch: NamedService {
    let clock: GatewayClock
    let store: Store
    let memory: DeviceMemory
    let connection: ConnectionState
    let bells: Bells
    let metrics: GatewayMetrics
    let logger: Logger

    /// How often the two clocks are compared.
    static let interval: Duration = .milliseconds(250)
    /// A disagreement beyond this is a step; below it, too small to move anything for.
    static let threshold: TimeInterval = 2
    /// How long one attempt waits for a moment when no write holds the frame.
    static let patience: Duration = .seconds(1)

    /// What one attempt did.
    private enum Attempt {
        /// The step was applied: by how much, and what moved in the database.
        case applied(ClockStep, ShiftedSchedules)
        /// The clocks agree again (the wall clock went back where it was): nothing to do.
        case settled
    }

    func run() async throws {
        var steps = 0
        var failing = false
        for await _ in AsyncTimerSequence.repeating(every: Self.interval).cancelOnGracefulShutdown() {
            guard abs(clock.discrepancy()) > Self.threshold else { continue }
            do {
                guard case .applied(let step, let shifted) = try await attempt() else { continue }
                steps += 1
                failing = false
                report(step, shifted: shifted, steps: steps)
            } catch {
                if !failing {
                    logger.error(
                        "wall clock stepped, and the schedules cannot be moved with it; the gateway stays on the monotonic clock and tries again",
                        metadata: ["step": "\(ClockStep(seconds: clock.discrepancy()))", "error": "\(error)"])
                }
                failing = true
            }
        }
    }

    /// Waits up to `patience` for the frame to be free, then applies the step; nil if the
    /// frame stayed busy (the next tick tries again).
    private func attempt() async throws -> Attempt? {
        let steady = ContinuousClock()
        let giveUp = steady.now + Self.patience
        while steady.now < giveUp, !Task.isCancelled {
            if let done = try clock.frame.tryExclusive({ try applyHoldingFrame() }) { return done }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Measured again with the frame held, so the step applied is the step as it is now.
    private func applyHoldingFrame() throws -> Attempt {
        let seconds = clock.discrepancy()
        guard abs(seconds) > Self.threshold else { return .settled }
        var moved = false
        do {
            let shifted = try store.shiftSchedules(by: seconds) {
                move(by: seconds)
                moved = true
            }
            return .applied(ClockStep(seconds: seconds), shifted)
        } catch {
            // The transaction did not commit: the rows did not move, so nothing else may.
            if moved { move(by: -seconds) }
            throw error
        }
    }

    private func move(by seconds: TimeInterval) {
        memory.shift(by: seconds)
        connection.shift(by: seconds)
        clock.moveAnchor(by: seconds)
    }

    private func report(_ step: ClockStep, shifted: ShiftedSchedules, steps: Int) {
        metrics.clockStepped()
        bells.scheduler.ring()
        bells.dispatcher.ring()
        logger.warning(
            "wall clock stepped by \(step); deadlines and supervision stay on the monotonic clock",
            metadata: [
                "step_seconds": "\(String(format: "%.3f", step.seconds))", "clock_steps": "\(steps)",
                "incidents_moved": "\(shifted.incidents)", "notifications_moved": "\(shifted.notifications)",
            ])
    }

    /// At start: a step of the wall clock while no daemon ran, measured on the boot clock
    /// against the last status row (same boot only; see `Store.wallStepSinceLastStatus`), moves
    /// the stored schedules and the last-heard times read from the database, as a step seen
    /// while running would. Across a reboot it cannot be measured: the unit waits for
    /// time-sync.target instead.
    static func applyStepWhileStopped(
        clock: GatewayClock, store: Store, memory: DeviceMemory, metrics: GatewayMetrics, logger: Logger
    ) throws {
        guard let seconds = try store.wallStepSinceLastStatus(now: clock.now(), boot: BootClock.now()),
            abs(seconds) > threshold
        else { return }
        let shifted = try store.shiftSchedules(by: seconds)
        memory.shift(by: seconds)
        metrics.clockStepped()
        logger.warning(
            "wall clock stepped by \(ClockStep(seconds: seconds)) while the daemon was stopped; the schedules move with it",
            metadata: [
                "step_seconds": "\(String(format: "%.3f", seconds))", "incidents_moved": "\(shifted.incidents)",
                "notifications_moved": "\(shifted.notifications)",
            ])
    }
}
