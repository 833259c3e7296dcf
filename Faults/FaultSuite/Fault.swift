import Foundation

/// The faults the suite knows, in the order it tries them.
enum Fault: String, CaseIterable, Sendable {
    case kill
    case brokerRestart = "broker-restart"
    case databaseLock = "database-lock"
    case databaseStall = "database-stall"
    case diskFull = "disk-full"
    case brokerOutage = "broker-outage"
    case clockStep = "clock-step"
    case zigbeeQoS0Restart = "zigbee2mqtt-qos0-restart"
    case refusedPublish = "refused-publish"
    case clusterKill = "cluster-kill"
    case databaseCrash = "database-crash"

    var summary: String {
        switch self {
        case .kill: "SIGKILL the daemon at random moments while QoS 1 alarms and heartbeats flow"
        case .brokerRestart: "alarms queue at the broker while the daemon is stopped; the broker restarts (persistence on)"
        case .databaseLock: "another process holds the database locked while alarms arrive"
        case .databaseStall:
            "the database is locked longer than offline_after while every detector keeps reporting: nobody may be paged offline"
        case .diskFull: "the database's disk fills while alarms arrive, then space returns"
        case .brokerOutage: "the broker disappears; the daemon must reconnect and resume its session"
        case .clockStep: "the daemon's wall clock steps 16 minutes forward, then an hour back, while fires climb their ladders"
        case .zigbeeQoS0Restart: "Zigbee2MQTT detectors alarm at QoS 0 while the daemon is stopped; it starts again"
        case .refusedPublish:
            "the broker's ACL denies the gateway's calls while alarms arrive; then it is fixed and the broker reloaded"
        case .clusterKill:
            "two gateways on PostgreSQL: the one holding the lease SIGKILLed again and again while QoS 1 alarms and heartbeats flow"
        case .databaseCrash:
            "the PostgreSQL server two gateways share crashes and restarts, twice, during a stream of QoS 1 alarms"
        }
    }

    func run(_ settings: FaultSettings) async throws -> FaultReport {
        switch self {
        case .kill: try await KillFault(settings: settings).run()
        case .brokerRestart: try await BrokerRestartFault(settings: settings).run()
        case .databaseLock: try await DatabaseLockFault(settings: settings).run()
        case .databaseStall: try await DatabaseStallFault(settings: settings).run()
        case .diskFull: try await DiskFullFault(settings: settings).run()
        case .brokerOutage: try await BrokerOutageFault(settings: settings).run()
        case .clockStep: try await ClockStepFault(settings: settings).run()
        case .zigbeeQoS0Restart: try await ZigbeeQoS0RestartFault(settings: settings).run()
        case .refusedPublish: try await RefusedPublishFault(settings: settings).run()
        case .clusterKill: try await ClusterKillFault(settings: settings).run()
        case .databaseCrash: try await DatabaseCrashFault(settings: settings).run()
        }
    }
}
