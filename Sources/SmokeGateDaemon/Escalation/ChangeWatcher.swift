import Logging
import ServiceLifecycle
import SmokeGateStore
import SmokeGateSync

/// Notices, within a quarter of a second, incident changes another process made to the
/// database (an acknowledgement through the CLI writes calls to the outbox) and wakes the
/// dispatcher and the scheduler. Changes made by this daemon ring their bells directly.
struct ChangeWatcher: NamedService {
    let store: Store
    let bells: [Doorbell]
    let logger: Logger

    static let interval: Duration = .milliseconds(250)

    func run() async throws {
        var last = (try? store.incidentChangeMark()) ?? 0
        for await _ in AsyncTimerSequence.repeating(every: Self.interval).cancelOnGracefulShutdown() {
            do {
                let mark = try store.incidentChangeMark()
                if mark != last { bells.forEach { $0.ring() } }
                last = mark
            } catch {
                logger.warning("cannot check the database for incident changes", metadata: ["error": "\(error)"])
            }
        }
    }
}
