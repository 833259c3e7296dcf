import Foundation
import Logging
import ServiceLifecycle
import SmokeGateConfig
import SmokeGateStore

/// Prunes history past the configured retention: a minute after start, then hourly, in
/// batches of a thousand rows with a pause between them, so ingest never waits on it.
struct RetentionPruner: NamedService {
    let store: Store
    let clock: GatewayClock
    let retention: GatewayConfiguration.Retention
    let logger: Logger

    static let firstRun: Duration = .seconds(60)
    static let interval: Duration = .seconds(3_600)
    static let batch = 1_000

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

    private func prune() async {
        let now = clock.now()
        var removed = 0
        while !Task.isCancelled {
            do {
                let count = try store.prune(
                    eventsBefore: now.addingTimeInterval(-retention.events.secondsValue),
                    rejectedBefore: now.addingTimeInterval(-retention.rejected.secondsValue), limit: Self.batch)
                removed += count
                if count == 0 { break }
            } catch {
                logger.error("cannot prune old history; will try again", metadata: ["error": "\(error)"])
                break
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        if removed > 0 { logger.info("pruned history past retention", metadata: ["rows": "\(removed)"]) }
    }
}
