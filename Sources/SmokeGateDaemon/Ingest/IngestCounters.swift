import SmokeGateCore

/// What the ingest path has seen since the daemon started.
struct IngestCounters: Sendable, Equatable {
    var received = 0
    var rejected = 0
    var heartbeats = 0
    var storedEvents = 0
    var duplicates = 0
    var ignored = 0
    var byFormat: [PayloadFormat: Int] = [:]
    var byReason: [Rejection.Reason: Int] = [:]
}
