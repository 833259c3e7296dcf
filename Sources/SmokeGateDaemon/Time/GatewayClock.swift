import Foundation
import SmokeGateCore
import Synchronization

/// The daemon's one reading of the time.
///
/// `now()` is a wall time taken at an anchor plus the monotonic time elapsed since, so it
/// never jumps when NTP, an operator or a late time sync steps the machine's wall clock:
/// deadlines, retries and offline supervision keep to real elapsed time. Times are still wall times (they
/// are stored, shown and compared with what the CLI writes), so when the wall clock has
/// stepped, `ClockStepWatch` moves the schedules by the step and then moves the anchor by the
/// same amount, in one go (`moveAnchor`), under the exclusive side of `frame`.
///
/// The steady clock is `ContinuousClock` (CLOCK_BOOTTIME on Linux): it counts a suspend, as
/// the wall clock does, so waking from one is not taken for a step.
final class GatewayClock: Sendable {
    private struct Anchor {
        /// The wall time (Unix seconds) at `steady`.
        var wall: Double
        var steady: ContinuousClock.Instant
        /// Every step applied so far, added up: services with wall-time deadlines of their own
        /// (supervision's heap) move them by what changed since they last looked.
        var shifted: Double = 0
        /// The last step applied: when, in the new frame, and by how much.
        var lastStep: (at: Double, by: Double)?
    }

    private let wall: @Sendable () -> Date
    private let steady = ContinuousClock()
    private let anchor: Mutex<Anchor>
    /// Held shared by every write that turns the time into a schedule, exclusively while a
    /// step is applied.
    let frame = FrameLock()

    /// A clock anchored at `wall()` now; `wall` is the machine's wall clock (tests step their own).
    init(wall: @escaping @Sendable () -> Date) {
        self.wall = wall
        anchor = Mutex(Anchor(wall: wall().timeIntervalSince1970, steady: ContinuousClock().now))
    }

    /// The time: the anchor's wall time plus the steady time since.
    func now() -> Date {
        let reading = steady.now
        return anchor.withLock { Date(timeIntervalSince1970: $0.wall + (reading - $0.steady).secondsValue) }
    }

    /// How far the wall clock is ahead of `now()` (negative: behind). Zero but for a step not
    /// yet applied and the drift of two clocks (which NTP keeps far below a second).
    func discrepancy() -> TimeInterval {
        let current = now()
        return wall().timeIntervalSince(current)
    }

    /// Moves the anchor, and so every later `now()`, by `seconds`: the last part of applying
    /// a step, done once the schedules have moved by as much.
    func moveAnchor(by seconds: TimeInterval) {
        let reading = steady.now
        anchor.withLock { anchor in
            anchor.wall += seconds
            anchor.shifted += seconds
            anchor.lastStep = (anchor.wall + (reading - anchor.steady).secondsValue, seconds)
        }
    }

    /// Every step applied since the daemon started, added up.
    var shiftedSoFar: TimeInterval { anchor.withLock { $0.shifted } }

    /// The time until `date`, or zero if it has passed: what a service sleeps (the sleep is
    /// steady, so a step during it changes neither end).
    func until(_ date: Date) -> Duration {
        .milliseconds(max(0, Int64((date.timeIntervalSince(now()) * 1_000).rounded(.up))))
    }

    /// Runs `body` with no step applied meanwhile (see `FrameLock`).
    func holdingFrame<T>(_ body: () throws -> T) rethrows -> T {
        try frame.shared(body)
    }

    /// `stamp`, a `now()` taken when a message arrived, in the frame of the clock as it is now.
    /// A message read off the socket just before a step and handled just after carries a time
    /// from the old frame: after a forward step it lies before the step's moment (by at least
    /// half the step), after a backward one in the future. Either is moved by the step.
    func reframed(_ stamp: Date) -> Date {
        let (lastStep, current) = anchor.withLock { ($0.lastStep, $0) }
        guard let lastStep else { return stamp }
        let time = stamp.timeIntervalSince1970
        if lastStep.by > 0, time < lastStep.at - lastStep.by / 2 {
            return stamp.addingTimeInterval(lastStep.by)
        }
        if lastStep.by < 0 {
            let present = current.wall + (steady.now - current.steady).secondsValue
            if time > max(present, lastStep.at - lastStep.by / 2) { return stamp.addingTimeInterval(lastStep.by) }
        }
        return stamp
    }
}
