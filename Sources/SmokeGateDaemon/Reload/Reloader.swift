import Foundation
import Logging
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

/// Re-reads the configuration and puts what can change without a restart in force: the
/// response chain, the device registry, the escalation ladder, the supervision profiles and
/// the dispatch topic prefix. The new configuration is checked whole first; with a problem
/// the daemon goes on with the old one and every problem is logged and kept for `status`.
/// Nothing stops meanwhile: the file is read on a thread of its own, and what ingest,
/// escalation and supervision read is swapped in one step each.
final class Reloader: Sendable {
    let live: LiveConfiguration
    let memory: DeviceMemory
    let store: Store
    let registryWrites: RegistryRequests
    let bells: Bells
    let clock: GatewayClock
    /// The last reload's outcome, for the service manager's status line.
    let outcome: ReloadOutcome
    let logger: Logger
    /// One reload at a time: a signal arriving during one runs after it.
    private let turns = Turns()

    init(
        live: LiveConfiguration, memory: DeviceMemory, store: Store, registryWrites: RegistryRequests, bells: Bells,
        clock: GatewayClock, logger: Logger
    ) {
        self.live = live
        self.memory = memory
        self.store = store
        self.registryWrites = registryWrites
        self.bells = bells
        self.clock = clock
        self.outcome = ReloadOutcome()
        self.logger = logger
    }

    func reload() async throws(ConfigurationError) -> ReloadReport {
        await turns.take()
        defer { turns.give() }
        ServiceManagerNotifier.reloading()
        defer { ServiceManagerNotifier.reloaded(outcome.statusLine) }
        let old = live.configuration
        logger.notice("reloading the configuration", metadata: ["file": "\(old.file)"])
        let read = await Self.readAside { () -> Result<(GatewayConfiguration, ReloadReport), ConfigurationError> in
            do throws(ConfigurationError) {
                let next = try GatewayConfiguration.load(from: old.file)
                return .success((next, ReloadReport(from: old, to: next)))
            } catch {
                return .failure(error)
            }
        }
        let next: GatewayConfiguration
        let report: ReloadReport
        switch read {
        case .failure(let error):
            for problem in error.problems { logger.error("reload refused", metadata: ["problem": "\(problem)"]) }
            logger.error(
                "reload refused: still running on the configuration in force; fix every problem above and reload again",
                metadata: ["problems": "\(error.problems.count)"])
            record("\(error.problems.count) problem(s); still running on the configuration in force", error.problems)
            throw error
        case .success(let loaded): (next, report) = loaded
        }
        if report.applied.contains("device registry") {
            // A lookup per detector: off the services' pool too.
            let memory = self.memory
            let generation = await Self.readAside { memory.adopt(next.devices) }
            live.replace(with: next, generation: generation)
            registryWrites.submit(next.devices)
        } else {
            live.replace(with: next, generation: live.snapshot.generation)
        }
        bells.scheduler.ring()
        logger.notice("configuration reloaded", metadata: ["report": "\(report)"])
        for setting in report.needsRestart {
            logger.warning("changed; takes effect at the next restart", metadata: ["setting": "\(setting)"])
        }
        record("\(report)", [])
        return report
    }

    /// Keeps the outcome for the status line and for `smokegate status`.
    private func record(_ summary: String, _ problems: [ConfigurationProblem]) {
        let record = ReloadRecord(
            at: clock.now(), pid: Int(ProcessInfo.processInfo.processIdentifier), summary: summary,
            problems: problems.map(\.description))
        outcome.set(record)
        do {
            try store.write(record)
        } catch {
            logger.warning("cannot record the reload for `smokegate status`", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `work` on a thread of its own, outside the pool the services run on: reading a
    /// large registry takes seconds, during which dispatch, escalation and supervision keep
    /// their turns.
    private static func readAside<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = "smokegate-reload"
            thread.start()
        }
    }
}
