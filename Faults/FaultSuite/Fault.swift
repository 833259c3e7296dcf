import Foundation

/// The faults the suite knows, in the order it tries them.
enum Fault: String, CaseIterable, Sendable {
    case kill
    case brokerRestart = "broker-restart"
    case databaseLock = "database-lock"
    case diskFull = "disk-full"
    case brokerOutage = "broker-outage"

    var summary: String {
        switch self {
        case .kill: "SIGKILL the daemon at random moments while QoS 1 alarms and heartbeats flow"
        case .brokerRestart: "alarms queue at the broker while the daemon is stopped; the broker restarts (persistence on)"
        case .databaseLock: "another process holds the database locked while alarms arrive"
        case .diskFull: "the database's disk fills while alarms arrive, then space returns"
        case .brokerOutage: "the broker disappears; the daemon must reconnect and resume its session"
        }
    }

    func run(_ settings: FaultSettings) async throws -> FaultReport {
        switch self {
        case .kill: try await KillFault(settings: settings).run()
        case .brokerRestart: try await BrokerRestartFault(settings: settings).run()
        case .databaseLock: try await DatabaseLockFault(settings: settings).run()
        case .diskFull: try await DiskFullFault(settings: settings).run()
        case .brokerOutage: try await BrokerOutageFault(settings: settings).run()
        }
    }
}

/// How hard the suite pushes, from the command line.
struct FaultSettings: Sendable {
    var quick: Bool
    var kills: Int
    var seed: UInt64
}
