import Foundation
import SmokeGateStore
import SmokeGateTestSupport

/// Measurement 4 (`--storm`, `ONLY=storm make bench`): field rule 6 under a live stream. A
/// street of `detectors` registered detectors in `grids` grids reports its heartbeats; then
/// the detectors of `offlineGrids` grids go offline together (a site network down) while fires
/// keep alarming elsewhere, and later come back. Measured in one run: how many messages each
/// grid unit receives about the storm, the fire's grid-call latency while the storm is being
/// opened and told against the same run before it (and a plain broker round trip), and how
/// much the database grew.
struct OfflineStorm {
    var detectors = 100_000
    var grids = 200
    var offlineGrids = 40
    /// Each detector's heartbeat period: the stream is `detectors / heartbeat` messages a second.
    var heartbeat = 20
    var offlineAfter = 45
    var alarmsBefore = 40
    var alarmsDuring = 80
    var gap: ClosedRange<Int> = 400...800

    struct Result {
        var before: [Double] = []
        var during: [Double] = []
        var baseline: [Double] = []
        var missingCalls = 0
        /// Offline messages per offline grid unit, and their actions in order.
        var messagesPerGrid: [String: [String]] = [:]
        var silenced = 0
        var offlineIncidents = 0
        var outboxRows = 0
        var databaseBefore: Int64 = 0
        var databaseAfter: Int64 = 0
        var heartbeatsPerSecond = 0.0
        var allBack = false
    }

    func isUnheard(_ index: Int) -> Bool { BenchConfiguration.gridIndex(ofDevice: index, grids: grids) < offlineGrids }

    func run() throws -> Result {
        let broker = try MosquittoBroker()
        defer { try? FileManager.default.removeItem(at: broker.folder) }
        defer { broker.stop() }
        let setup = try BenchConfiguration(
            port: broker.port, detectors: detectors,
            escalation: [("grid", "0s"), ("community", "3m"), ("street", "10m"), ("station", "15m")],
            supervision: "{ heartbeat: \(heartbeat)s, offline_after: \(offlineAfter)s }",
            communities: grids / BenchConfiguration.gridsPerCommunity)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let daemon = try RunningDaemon(configuration: setup.configuration, timeout: .seconds(120))
        defer { daemon.stop() }
        let subscriber = try BenchClient(
            port: broker.port, name: "bench-storm", subscriptions: ["smokegate/notify/grid/#", "bench/echo/#"])
        defer { subscriber.stop() }
        let publisher = try BenchClient(port: broker.port, name: "bench-alarms")
        defer { publisher.stop() }
        let unheard = self.isUnheard
        let load = try HeartbeatLoad(
            port: broker.port, rate: detectors / heartbeat, devices: detectors, qos: .zero, connections: 4, quiet: unheard)
        load.start()
        defer { load.stop() }
        var result = Result()
        result.silenced = (1...detectors).filter(isUnheard).count
        var probe = Probe(subscriber: subscriber, publisher: publisher)
        let started = ContinuousClock.now
        print("   warming up: every detector heard once (\(heartbeat + 5) s)")
        probe.idle(until: started + .seconds(heartbeat + 5))
        let healthy = (1...detectors).filter { !isUnheard($0) }.shuffled()
        var next = healthy.makeIterator()
        let database = setup.configuration.databasePath
        result.databaseBefore = Self.size(of: database)
        print("   \(alarmsBefore) alarms before the storm")
        for _ in 0..<alarmsBefore { try probe.alarm(next.next()!, gap: gap, into: &result.before, baseline: &result.baseline) }
        load.muted.store(true, ordering: .relaxed)
        let mutedAt = ContinuousClock.now
        print("   \(result.silenced) detectors in \(offlineGrids) grids go offline; \(alarmsDuring) alarms elsewhere meanwhile")
        probe.idle(until: mutedAt + .seconds(offlineAfter - heartbeat))
        for _ in 0..<alarmsDuring { try probe.alarm(next.next()!, gap: gap, into: &result.during, baseline: &result.baseline) }
        // Past the group's first update (a minute after its first message), the site comes back.
        probe.idle(until: mutedAt + .seconds(offlineAfter + 70))
        load.muted.store(false, ordering: .relaxed)
        print("   the site is back")
        let store = try Store(path: database, readOnly: true)
        let deadline = ContinuousClock.now + .seconds(heartbeat + 60)
        while ContinuousClock.now < deadline {
            probe.idle(until: ContinuousClock.now + .seconds(1))
            let open = (try? store.devicesOffline().count) ?? 1
            let ended = probe.offlineMessages.values.filter { $0.last == "resolve" }.count
            if open == 0, ended >= offlineGrids {
                result.allBack = true
                break
            }
        }
        probe.idle(until: ContinuousClock.now + .seconds(3))
        result.messagesPerGrid = probe.offlineMessages
        result.missingCalls = probe.missing
        result.offlineIncidents = try store.incidents(includeResolved: true, kind: .offline, limit: 1_000_000).count
        result.outboxRows = try store.notificationsWritten().count
        result.databaseAfter = Self.size(of: database)
        result.heartbeatsPerSecond =
            Double(load.published.load(ordering: .relaxed)) / started.duration(to: .now).secondsValue
        return result
    }

    static func size(of database: String) -> Int64 {
        ["", "-wal"].reduce(0) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: database + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
