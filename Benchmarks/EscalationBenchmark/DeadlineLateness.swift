import Foundation
import SmokeGateTestSupport

/// Measurement 2: whether the escalation scheduler keeps time when a street has many fires
/// open at once. Opens `incidents` fire incidents (one alarm each from distinct registered
/// detectors at venues of their own, published together), then waits for every community
/// call; each call's lateness is its arrival, wall clock, less its due time, the payload's
/// `opened_at` plus the community offset (both clocks are this machine's). The offset is
/// chosen so that every incident is open before the first community deadline: what is timed
/// is the scheduler and dispatcher working through a wall of deadlines, not the ingest.
struct DeadlineLateness {
    var incidents: Int
    var communityAfter: Int
    /// How long the incidents may take to open (every grid call received) before the run goes
    /// on with those that did.
    var openTimeout: Duration
    /// Whether the broker keeps Nagle's algorithm on its sockets, mosquitto's default, where the
    /// shipped configuration turns it off (`set_tcp_nodelay true`): by default the broker runs
    /// as it ships, since on a session that takes the whole stream Nagle holds an alarm behind
    /// the heartbeats' unacknowledged segments.
    var brokerNagle = false
    /// How long after the last due time a community call is still waited for.
    var grace: Duration = .seconds(60)

    /// What one run measured; times in milliseconds unless named otherwise.
    struct Result {
        /// Community call received − (opened_at + offset).
        var lateness: [Double] = []
        /// The call's `at` (when the scheduler wrote it) − its due time: the scheduler's share.
        var schedulerLateness: [Double] = []
        /// Community call received − its `at`: the dispatcher's and the broker's share.
        var dispatch: [Double] = []
        /// Grid call received − its `at`, while the incidents open: how the dispatcher keeps up
        /// with a storm of alarms (a call whose first copy is held back shows here).
        var gridDispatch: [Double] = []
        /// Incidents whose grid call (community call) was received.
        var gridCalls = 0
        var communityCalls = 0
        /// Calls received again for a detector already called at that tier, and how many of
        /// those carried a `notification` id already received (the dispatcher sending again).
        var repeatedCalls = 0
        /// Of those, how many were grid calls (the rest are community calls).
        var repeatedGridCalls = 0
        var repeatedIDs = 0
        /// Seconds between the first and the repeated arrival of one notification id: near the
        /// dispatcher's confirmation timeout if the first copy was on time and only its PUBACK
        /// went unseen, near zero if the first copy itself was held back.
        var repeatGaps: [Double] = []
        /// Seconds from the first incident's opening to the last's.
        var openingSpan = 0.0
        /// Seconds from the first alarm published to the last grid call received.
        var openingSeconds = 0.0
        /// Incidents opened per second, by the gateway's own stamps.
        var openingRate: Double { openingSpan > 0 ? Double(gridCalls - 1) / openingSpan : 0 }
    }

    func run() throws -> Result {
        let broker = try MosquittoBroker(nagle: brokerNagle)
        // Deferred in this order so that each folder goes only once what uses it has stopped.
        defer { try? FileManager.default.removeItem(at: broker.folder) }
        defer { broker.stop() }
        let setup = try BenchConfiguration(
            port: broker.port, detectors: incidents,
            escalation: [
                ("grid", "0s"), ("community", "\(communityAfter)s"), ("street", "\(communityAfter + 600)s"),
                ("station", "\(communityAfter + 900)s"),
            ])
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let daemon = try RunningDaemon(configuration: setup.configuration)
        defer { daemon.stop() }
        let subscriber = try BenchClient(
            port: broker.port, name: "bench-calls", subscriptions: ["smokegate/notify/grid/#", "smokegate/notify/community/#"])
        defer { subscriber.stop() }
        let publisher = try BenchClient(port: broker.port, name: "bench-alarms")
        defer { publisher.stop() }

        // Arrivals are only counted while the calls come in (cheaply, by topic); they are
        // parsed once the run is over, so the benchmark takes no CPU from the gateway meanwhile.
        var arrivals: [Inbox.Arrival] = []
        var grid = 0
        var community = 0
        func collect(until deadline: ContinuousClock.Instant, while waiting: () -> Bool) {
            while waiting(), ContinuousClock.now < deadline {
                for arrival in subscriber.inbox.wait(until: deadline) {
                    if arrival.topic.hasPrefix("smokegate/notify/grid/") { grid += 1 } else { community += 1 }
                    arrivals.append(arrival)
                }
            }
        }

        let start = ContinuousClock.now
        for index in stride(from: 1, through: incidents, by: 1) {
            let device = BenchConfiguration.deviceID(index)
            try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(index)}"#, qos: 1)
        }
        collect(until: start + openTimeout) { grid < incidents }
        let opened = ContinuousClock.now
        collect(until: opened + .seconds(communityAfter) + grace) { community < incidents }

        var result = Result()
        result.openingSeconds = start.duration(to: opened).milliseconds / 1_000
        var openings: [Date] = []
        var seen: Set<String> = []
        var firstArrival: [String: Date] = [:]
        for arrival in arrivals {
            guard let call = Call(arrival), call.action == "notify", call.tier == "grid" || call.tier == "community" else {
                continue
            }
            let earlier = firstArrival[call.notification]
            if earlier == nil { firstArrival[call.notification] = arrival.wall }
            guard seen.insert("\(call.tier)/\(call.device)").inserted else {
                result.repeatedCalls += 1
                if call.tier == "grid" { result.repeatedGridCalls += 1 }
                if let earlier {
                    result.repeatedIDs += 1
                    result.repeatGaps.append(arrival.wall.timeIntervalSince(earlier))
                }
                continue
            }
            if call.tier == "grid" {
                result.gridCalls += 1
                openings.append(call.openedAt)
                result.gridDispatch.append(arrival.wall.timeIntervalSince(call.at) * 1_000)
                continue
            }
            result.communityCalls += 1
            let due = call.openedAt.addingTimeInterval(TimeInterval(communityAfter))
            result.lateness.append(arrival.wall.timeIntervalSince(due) * 1_000)
            result.schedulerLateness.append(call.at.timeIntervalSince(due) * 1_000)
            result.dispatch.append(arrival.wall.timeIntervalSince(call.at) * 1_000)
        }
        if let first = openings.min(), let last = openings.max() { result.openingSpan = last.timeIntervalSince(first) }
        return result
    }
}
