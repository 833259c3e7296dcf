import Foundation
import Logging
import ServiceLifecycle
import SmokeGateStore

/// Forgets unregistered devices not heard for `Store.strangerExpiry` (rule 16), in memory and
/// in the device table, hourly in short batches: the set of strangers is bounded in number
/// (`DeviceMemory.strangerLimit`) and in time, whatever ids reach the broker.
struct StrangerExpiry: NamedService {
    let store: Store
    let memory: DeviceMemory
    let clock: GatewayClock
    let logger: Logger

    static let interval: Duration = .seconds(3_600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: Self.interval)
                forget()
            }
        }
    }

    private func forget() {
        let cutoff = clock.now().addingTimeInterval(-Store.strangerExpiry)
        let inMemory = memory.forgetStrangers(notHeardSince: cutoff)
        var rows = 0
        do {
            while !Task.isCancelled {
                let removed = try store.forgetStrangers(notHeardSince: cutoff)
                rows += removed
                if removed == 0 { break }
            }
        } catch {
            logger.error("cannot forget unregistered devices; will try again", metadata: ["error": "\(error)"])
        }
        if inMemory + rows > 0 {
            logger.info(
                "forgot unregistered devices not heard for a week", metadata: ["memory": "\(inMemory)", "rows": "\(rows)"])
        }
    }
}
