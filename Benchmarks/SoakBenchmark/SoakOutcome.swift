import Foundation

/// What the run saw: memory samples, and per alarm when it was sent and when each tier heard.
struct SoakOutcome {
    struct Alarm {
        var device: String
        var sentAt: Date
        var acknowledges: Bool
        var incident: Int?
        /// When the daemon opened the incident, as its notifications say.
        var openedAt: Date?
        /// Arrival of each tier's `notify`, by tier name.
        var called: [String: Date] = [:]
        var acknowledged = false
        var resolved = false
    }

    /// Resident memory and SQLite's part of it (`smokegate_sqlite_memory_bytes`), in MiB.
    var memory: [(at: Double, rss: Double, sqlite: Double)] = []
    var alarms: [Alarm] = []
    /// Broker round trips of the echo probes sent beside the alarms, in seconds.
    var echoes: [Double] = []
    var heartbeatsReceived = 0
    var databaseSize = 0.0
    var peakMemory = 0.0
    var metrics = ""
    var consoleFailures = 0
    var daemonExit: Int32?
}
