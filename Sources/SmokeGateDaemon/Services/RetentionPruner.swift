import Foundation
import Logging
import ServiceLifecycle
import SmokeGateConfig
import SmokeGateStore

/// Prunes history past the configured retention: a minute after start, then hourly, in
/// transactions of at most a thousand rows with a pause between them, so ingest never waits
/// on it: old events and rejected messages, calls the broker took long ago, and the detail of
/// incidents closed long ago (their summary stays).
struct RetentionPruner: NamedService {
    let store: Store
    let clock: GatewayClock
    let retention: GatewayConfiguration.Retention
    let logger: Logger

    static let firstRun: Duration = .seconds(60)
    static let interval: Duration = .seconds(3_600)
    static let batch = 1_000
    static let pause: Duration = .milliseconds(50)

    func run() async throws {
        // Everything, the first wait included, ends the moment shutdown begins.
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: Self.firstRun)
            while true {
                await prune()
                try await Task.sleep(for: Self.interval)
            }
        }
    }

    /// What one run removed, for its log line.
    private struct Removed {
        var history = 0
        var calls = 0
        var detail = 0
        var summarised = 0
        var total: Int { history + calls + detail }
    }

    private func prune() async {
        let now = clock.now()
        func before(_ window: Duration) -> Date { now.addingTimeInterval(-window.secondsValue) }
        var removed = Removed()
        do {
            try await repeatUntilDone {
                let count = try store.prune(
                    eventsBefore: before(retention.events), rejectedBefore: before(retention.rejected), limit: Self.batch)
                removed.history += count
                return count > 0
            }
            var cursor = PruneCursor.start
            try await repeatUntilDone {
                let step = try store.pruneSentNotifications(sentBefore: before(retention.outbox), from: cursor, limit: Self.batch)
                removed.calls += step.removed
                cursor = step.next ?? cursor
                return step.next != nil
            }
            cursor = .start
            try await repeatUntilDone {
                let step = try store.pruneIncidentDetail(
                    resolvedBefore: before(retention.incidents), from: cursor, limit: Self.batch)
                removed.detail += step.removed
                removed.summarised += step.summarised
                cursor = step.next ?? cursor
                return step.next != nil
            }
        } catch is CancellationError {
        } catch {
            logger.error("cannot prune old history; will try again", metadata: ["error": "\(error)"])
        }
        if removed.total > 0 {
            logger.info(
                "pruned history past retention",
                metadata: [
                    "rows": "\(removed.total)", "events_and_rejected": "\(removed.history)", "sent_calls": "\(removed.calls)",
                    "incident_detail": "\(removed.detail)", "incidents_summarised": "\(removed.summarised)",
                ])
        }
    }

    /// Runs `step` (one short transaction) with a pause after each, while it says there is more.
    private func repeatUntilDone(_ step: () throws -> Bool) async throws {
        while try step() {
            try await Task.sleep(for: Self.pause)
        }
    }
}
