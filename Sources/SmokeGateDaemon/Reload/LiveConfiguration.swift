import SmokeGateConfig
import SmokeGateCore
import Synchronization

/// The configuration the services act with, swapped whole by a reload: ingest, the escalation
/// scheduler and supervision read it at each message or round, so each of them acts on one
/// configuration at a time, the old one or the new one, never a mix within a step.
final class LiveConfiguration: Sendable {
    /// One configuration and what is built from it once.
    struct Snapshot: Sendable {
        let configuration: GatewayConfiguration
        /// The incident rules and the chain (`GatewayConfiguration.incidentDesk`).
        let desk: IncidentDesk
        /// Each detector's `offline_after`.
        let plan: SupervisionPlan
        /// Counts reloads: 0 as started, one more at each reload that took.
        let generation: Int
    }

    private let current: Mutex<Snapshot>

    init(_ configuration: GatewayConfiguration) {
        current = Mutex(
            Snapshot(
                configuration: configuration, desk: configuration.incidentDesk,
                plan: SupervisionPlan(configuration: configuration, generation: 0), generation: 0))
    }

    var snapshot: Snapshot { current.withLock { $0 } }
    var configuration: GatewayConfiguration { snapshot.configuration }
    var desk: IncidentDesk { current.withLock { $0.desk } }
    var plan: SupervisionPlan { current.withLock { $0.plan } }

    /// Puts `configuration` in force (built outside the lock: a reader never waits for it).
    func replace(with configuration: GatewayConfiguration, generation: Int) {
        let next = Snapshot(
            configuration: configuration, desk: configuration.incidentDesk,
            plan: SupervisionPlan(configuration: configuration, generation: generation), generation: generation)
        current.withLock { $0 = next }
    }
}
