import Foundation
import SmokeGateCore
import SmokeGateDaemon
import SmokeGateTestSupport

/// Measurement 1: how long a grid worker waits for the call after a detector alarms, while the
/// street's heartbeats keep the gateway busy. Alarms go one at a time from distinct registered
/// detectors, at random gaps (so they do not lock onto the once-a-second heartbeat flush), and
/// each is timed from just before it is published to the arrival of its grid call. A plain
/// message sent between alarms through the same broker, by the same publisher to the same
/// subscriber, is the baseline: on a shared, noisy machine the gateway's own share is the
/// difference between the two, measured in the same run.
struct AlarmLatency {
    var alarms: Int
    var heartbeatRate: Int
    var heartbeatDevices: Int
    var heartbeatQoS: HeartbeatLoad.QoS
    var heartbeatConnections: Int
    /// Milliseconds between one alarm and the next.
    var gap: ClosedRange<Int>
    var warmUp: Duration
    /// Whether the broker keeps Nagle's algorithm on its sockets, mosquitto's default, where the
    /// shipped configuration turns it off (`set_tcp_nodelay true`): by default the broker runs
    /// as it ships, since on a session that takes the whole stream Nagle holds an alarm behind
    /// the heartbeats' unacknowledged segments.
    var brokerNagle = false
    /// How long one alarm's call (or one baseline message) is waited for before it counts as lost.
    var callTimeout: Duration = .seconds(5)
    /// Where the daemon keeps its records.
    var store: BenchStore = .sqlite
    /// Alarms from as many more detectors published back to back after the timed ones, while
    /// the heartbeats go on (0: no burst).
    var burst = 0
    /// How long the burst's calls are waited for.
    var burstTimeout: Duration = .seconds(300)
    /// Whether new fires' first calls wait for the dispatcher's outbox read, as before they
    /// were published as their commits return: what that saves, measured in the same run.
    var firstCallsFromOutbox = false
    /// Whether SQLite's commits copy the write-ahead log back themselves, as before the store
    /// did it in the background (`WALCheckpoints`): what that saves, measured in the same run.
    var checkpointsInCommits = false
    /// Whether a second, plain client takes the detectors' whole stream too, and times each
    /// alarm's arrival there: the broker's delivery to a session that takes every heartbeat,
    /// beside the gateway's (the baseline's subscriber takes only its own messages).
    var streamSubscriber = false

    /// What one run measured; times in milliseconds.
    struct Result {
        /// Alarm published → grid call received (monotonic clock).
        var latency: [Double] = []
        /// Plain message published → received, same pair of connections (monotonic clock).
        var baseline: [Double] = []
        /// Alarm published → the second subscriber of the whole stream received it (`streamSubscriber`).
        var streamDelivery: [Double] = []
        /// A 512-byte write and its fsync beside the database, between alarms (`DiskProbe`).
        var fsync: [Double] = []
        /// Alarm published → the gateway received it (the call's `at`; wall clock, to the ms).
        var toReceipt: [Double] = []
        /// The gateway received the alarm → grid call received (wall clock, to the ms).
        var afterReceipt: [Double] = []
        /// The slowest alarms: device, total, to receipt, after receipt.
        var slowest: [(device: String, total: Double, toReceipt: Double, afterReceipt: Double)] = []
        var missingCalls: [String] = []
        var missingBaseline = 0
        var seconds = 0.0
        /// Heartbeats per second handed to libmosquitto, confirmed by the broker (sent at QoS 0,
        /// PUBACK at QoS 1), and accounted for by the gateway.
        var heartbeatsPublished = 0.0
        var heartbeatsConfirmed = 0.0
        var heartbeatsTaken = 0.0
        var heartbeatsSkipped = 0
        /// The daemon's own stage timings of the same alarms (`/metrics`), if it answered.
        var stages: StageBreakdown?
        /// The burst, if there was one.
        var burst: BurstResult?
        /// The largest SQLite write-ahead log seen after an alarm, and its size after the
        /// burst, in bytes (nil on PostgreSQL): whoever copies it back must keep it bounded.
        var walLargest: Int?
        var walAfterBurst: Int?
        var store: BenchStore = .sqlite
    }

    func run() throws -> Result {
        let broker = try MosquittoBroker(nagle: brokerNagle)
        // Deferred in this order so that each folder goes only once what uses it has stopped.
        defer { try? FileManager.default.removeItem(at: broker.folder) }
        defer { broker.stop() }
        let httpPort = try FreePort.find()
        // The burst's detectors come after the others: registered, each in its grid, so that
        // every alarm is a fire of its own with its own grid call.
        let timed = max(heartbeatDevices, alarms)
        let setup = try BenchConfiguration(
            port: broker.port, detectors: timed + burst,
            escalation: [("grid", "0s"), ("community", "3m"), ("street", "10m"), ("station", "15m")],
            extra: "http:\n  listen: 127.0.0.1:\(httpPort)")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        var configuration = setup.configuration
        let postgres = store == .postgres ? try TestPostgres.start(durable: true) : nil
        defer { postgres?.shutdown() }
        if let postgres { configuration.postgres = try PostgresLocation(url: postgres.url) }
        var options = Daemon.Options()
        options.publishesFirstFireCalls = !firstCallsFromOutbox
        if checkpointsInCommits { options.walCheckpoints = .byCommits }
        let daemon = try RunningDaemon(configuration: configuration, options: options)
        defer { daemon.stop() }
        let subscriber = try BenchClient(
            port: broker.port, name: "bench-calls", subscriptions: ["smokegate/notify/grid/#", "bench/echo/#"])
        defer { subscriber.stop() }
        let publisher = try BenchClient(port: broker.port, name: "bench-alarms")
        defer { publisher.stop() }
        let stream =
            streamSubscriber
            ? try BenchClient(port: broker.port, name: "bench-stream", subscriptions: ["smokegate/detectors/+/event"]) : nil
        defer { stream?.stop() }
        let load = try HeartbeatLoad(
            port: broker.port, rate: heartbeatRate, devices: heartbeatDevices, qos: heartbeatQoS,
            connections: heartbeatConnections)
        load.start()
        defer { load.stop() }
        sleep(until: .now + warmUp)
        let disk = try DiskProbe(folder: setup.folder)

        /// The size of SQLite's write-ahead log (nil on PostgreSQL).
        func walSize() -> Int? {
            guard store == .sqlite else { return nil }
            let attributes = try? FileManager.default.attributesOfItem(atPath: configuration.databasePath + "-wal")
            return attributes?[.size] as? Int
        }
        var result = Result()
        var calls: [String: Call] = [:]
        var echoes: [String: Inbox.Arrival] = [:]
        func wait(until deadline: ContinuousClock.Instant, for found: () -> Bool) -> Bool {
            while !found() {
                guard ContinuousClock.now < deadline else { return false }
                for arrival in subscriber.inbox.wait(until: deadline) {
                    if arrival.topic.hasPrefix("bench/echo/") {
                        echoes[arrival.topic] = arrival
                    } else if let call = Call(arrival), call.action == "notify", calls[call.device] == nil {
                        calls[call.device] = call
                    }
                }
            }
            return true
        }

        let stagesAtStart = StageBreakdown.scrape(port: httpPort)
        let windowStart = ContinuousClock.now
        let takenAtStart = daemon.daemon.heartbeatCount
        let publishedAtStart = load.published.load(ordering: .relaxed)
        let confirmedAtStart = load.confirmed
        var slot = windowStart
        for index in stride(from: 1, through: alarms, by: 1) {
            let gap = Duration.milliseconds(Int.random(in: gap))
            sleep(until: slot)
            let device = BenchConfiguration.deviceID(index)
            let wall = Date()
            let start = ContinuousClock.now
            try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(index)}"#, qos: 1)
            if wait(until: start + callTimeout, for: { calls[device] != nil }), let call = calls[device] {
                let total = start.duration(to: call.arrival.instant).milliseconds
                let toReceipt = call.at.timeIntervalSince(wall) * 1_000
                let afterReceipt = call.arrival.wall.timeIntervalSince(call.at) * 1_000
                result.latency.append(total)
                result.toReceipt.append(toReceipt)
                result.afterReceipt.append(afterReceipt)
                result.slowest.append((device, total, toReceipt, afterReceipt))
            } else {
                result.missingCalls.append(device)
            }
            if let stream, let arrival = Self.alarm(of: device, in: stream.inbox, until: start + callTimeout) {
                result.streamDelivery.append(start.duration(to: arrival.instant).milliseconds)
            }
            // The baseline, halfway to the next alarm.
            sleep(until: slot + gap / 2)
            let topic = "bench/echo/\(index)"
            let probe = ContinuousClock.now
            try publisher.publish(topic, "\(index)", qos: 1)
            if wait(until: probe + callTimeout, for: { echoes[topic] != nil }), let echo = echoes[topic] {
                result.baseline.append(probe.duration(to: echo.instant).milliseconds)
            } else {
                result.missingBaseline += 1
            }
            if let durable = disk.durableWrite() { result.fsync.append(durable) }
            if let wal = walSize() { result.walLargest = max(result.walLargest ?? 0, wal) }
            slot = max(slot + gap, .now)
        }
        result.seconds = windowStart.duration(to: .now).milliseconds / 1_000
        result.heartbeatsTaken = Double(daemon.daemon.heartbeatCount - takenAtStart) / result.seconds
        result.heartbeatsPublished = Double(load.published.load(ordering: .relaxed) - publishedAtStart) / result.seconds
        result.heartbeatsConfirmed = Double(load.confirmed - confirmedAtStart) / result.seconds
        result.heartbeatsSkipped = load.skipped.load(ordering: .relaxed)
        result.slowest = Array(result.slowest.sorted { $0.total > $1.total }.prefix(5))
        if let stagesAtStart, let stagesAtEnd = StageBreakdown.scrape(port: httpPort) {
            result.stages = stagesAtEnd.since(stagesAtStart)
        }
        result.store = store
        if burst > 0 {
            let devices = (timed + 1...timed + burst).map(BenchConfiguration.deviceID)
            result.burst = try BurstOfAlarms(devices: devices, timeout: burstTimeout).run(
                port: broker.port, subscriber: subscriber, metricsPort: httpPort)
            result.walAfterBurst = walSize()
        }
        return result
    }

    /// `device`'s alarm among what `inbox` took of the whole stream (heartbeats dropped as
    /// they are looked at), waited for until `deadline`.
    static func alarm(of device: String, in inbox: Inbox, until deadline: ContinuousClock.Instant) -> Inbox.Arrival? {
        let topic = "smokegate/detectors/\(device)/event"
        repeat {
            let found = inbox.wait(until: deadline).first {
                $0.topic == topic && String(decoding: $0.payload, as: UTF8.self).contains(#""type":"alarm""#)
            }
            if let found { return found }
        } while ContinuousClock.now < deadline
        return nil
    }
}

/// Sleeps the calling thread until `deadline` on the monotonic clock (at once if it has passed).
func sleep(until deadline: ContinuousClock.Instant) {
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { return }
    usleep(UInt32(min(remaining.milliseconds * 1_000, 60_000_000)))
}
