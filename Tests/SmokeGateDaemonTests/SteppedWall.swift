import Foundation
import Synchronization

/// A wall clock a test can step, as NTP steps the machine's: the real time plus an offset.
/// The daemon under test reads it through `Daemon.Options.wallClock`; the test itself keeps
/// the real clock, so what it measures is real elapsed time.
final class SteppedWall: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock by `seconds` at once: forward if positive, back if negative.
    func step(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}
