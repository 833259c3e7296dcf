import SmokeGateTestSupport

/// What a burst measured.
struct BurstResult {
    var alarms: Int
    var calls: Int
    /// Seconds to hand every alarm to libmosquitto.
    var publishSeconds: Double
    /// Seconds from the first alarm published to the last grid call received.
    var lastCallSeconds: Double
    /// Seconds from the first alarm published until the daemon had stored them all (its commit
    /// counter, scraped every quarter second or so), nil if it never did or has no metrics.
    var storedSeconds: Double?
    /// Each alarm published → its grid call received, ms.
    var delays: Distribution
    /// The daemon's group commits during the burst.
    var groups: IngestGroups?

    /// Incidents opened and called per second, first alarm to last call.
    var perSecond: Double { Double(calls) / lastCallSeconds }
}
