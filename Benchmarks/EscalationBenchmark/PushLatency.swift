import Foundation
import SmokeGateTestSupport

/// Measurement 6: NB-IoT platform pushes over HTTP. (a) Alarm → grid call for pushed alarms
/// beside MQTT alarms, alternated in the same run under heartbeat load: what the HTTP path
/// adds. (b) Pushed alarms committed and answered per second over one keep-alive connection
/// and over 32, each from its own detector (each opens a fire), against the same number of
/// MQTT QoS 1 alarms published at once, in the same run: calls made per second on both paths.
struct PushLatency {
    var alarms: Int
    var heartbeatRate: Int
    var heartbeatDevices: Int
    var burst: Int
    var connections = [1, 32]
    var gap: ClosedRange<Int> = 100...200
    var callTimeout: Duration = .seconds(10)

    static let path = "/push/ctwing/bench7f3c9a0d41b2e8c5a6f0"

    /// The NB-IoT detector `index` (from 1): its IMEI is its id.
    static func imei(_ index: Int) -> String { String(format: "86%013d", index) }

    static func alarm(_ index: Int, at milliseconds: Int64) -> String {
        #"{"messageType":"dataReport","IMEI":"\#(imei(index))","timestamp":\#(milliseconds),"payload":{"serviceId":"notification","serviceData":{"Alarm_Status":1,"Battery_Level":90,"RSRP":-80}}}"#
    }

    struct Burst {
        var label: String
        var alarms: Int
        /// From the first request to the last `200` (pushes), or to the last publish (MQTT).
        var answeredSeconds: Double
        /// From the first request to the last grid call on the broker.
        var calledSeconds: Double
        var refused = 0
        var missingCalls = 0
    }

    struct Result {
        var toMQTT: [Double] = []
        var toPush: [Double] = []
        /// Push sent → its `200`, for the same pushes.
        var answered: [Double] = []
        var missing = 0
        var bursts: [Burst] = []
    }

    /// A broker and the daemon serving the push path on a free port.
    struct Rig {
        let broker: MosquittoBroker
        let setup: BenchConfiguration
        let daemon: RunningDaemon
        let httpPort: Int

        init(nativeDetectors: Int, pushDetectors: Int) throws {
            broker = try MosquittoBroker()
            httpPort = try FreePort.find()
            let grids = BenchConfiguration.communities * BenchConfiguration.gridsPerCommunity
            setup = try BenchConfiguration(
                port: broker.port, detectors: nativeDetectors, escalation: [("grid", "0s"), ("community", "1h")],
                extra: "http: { listen: \"127.0.0.1:\(httpPort)\" }",
                sources: ["{ http: \(PushLatency.path), format: ctwing, rate_limit: 1000000 }"],
                extraDevices: (1...max(pushDetectors, 1)).map {
                    "\(PushLatency.imei($0)),\(BenchConfiguration.grid(ofDevice: $0, grids: grids)),push road \($0),push venue \($0),residential,"
                })
            daemon = try RunningDaemon(configuration: setup.configuration)
            let deadline = ContinuousClock.now + .seconds(20)
            while (try? PushClient(port: httpPort)) == nil {
                guard ContinuousClock.now < deadline else { throw BenchError("the push endpoint never listened") }
                usleep(20_000)
            }
        }

        func discard() {
            daemon.stop()
            broker.stop()
            try? FileManager.default.removeItem(at: broker.folder)
            try? FileManager.default.removeItem(at: setup.folder)
        }
    }

    func run() throws -> Result {
        var result = Result()
        try latency(into: &result)
        for connections in connections {
            result.bursts.append(try pushBurst(connections: connections))
        }
        result.bursts.append(try mqttBurst())
        return result
    }

    /// (a): MQTT and pushed alarms alternated among heartbeats, each timed to its grid call.
    private func latency(into result: inout Result) throws {
        let rig = try Rig(nativeDetectors: max(heartbeatDevices, alarms), pushDetectors: alarms)
        defer { rig.discard() }
        let subscriber = try BenchClient(port: rig.broker.port, name: "bench-calls", subscriptions: ["smokegate/notify/grid/#"])
        let publisher = try BenchClient(port: rig.broker.port, name: "bench-alarms")
        let pusher = try PushClient(port: rig.httpPort)
        let load = try HeartbeatLoad(
            port: rig.broker.port, rate: heartbeatRate, devices: heartbeatDevices, qos: .mix, connections: 4)
        load.start()
        sleep(until: .now + .seconds(2))
        var calls: [String: Call] = [:]
        for index in 1...alarms {
            let pushed = index % 2 == 0
            let device = pushed ? Self.imei(index) : BenchConfiguration.deviceID(index)
            let start = ContinuousClock.now
            if pushed {
                let status = pusher.post(Self.path, Self.alarm(index, at: Int64(Date().timeIntervalSince1970 * 1_000)))
                if status == 200 { result.answered.append(start.duration(to: .now).milliseconds) }
            } else {
                try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(index)}"#, qos: 1)
            }
            let deadline = start + callTimeout
            while calls[device] == nil, ContinuousClock.now < deadline {
                for arrival in subscriber.inbox.wait(until: min(deadline, .now + .milliseconds(5))) {
                    if let call = Call(arrival), call.action == "notify", calls[call.device] == nil { calls[call.device] = call }
                }
            }
            if let call = calls[device] {
                let latency = start.duration(to: call.arrival.instant).milliseconds
                if pushed { result.toPush.append(latency) } else { result.toMQTT.append(latency) }
            } else {
                result.missing += 1
            }
            sleep(until: .now + .milliseconds(Int.random(in: gap)))
        }
        load.stop()
        publisher.stop()
        subscriber.stop()
    }

    /// (b): `burst` pushed alarms dealt round `connections` keep-alive connections at once.
    private func pushBurst(connections: Int) throws -> Burst {
        let rig = try Rig(nativeDetectors: 1, pushDetectors: burst)
        defer { rig.discard() }
        let subscriber = try BenchClient(port: rig.broker.port, name: "bench-calls", subscriptions: ["smokegate/notify/grid/#"])
        let clients = try (0..<connections).map { _ in try PushClient(port: rig.httpPort) }
        let stamp = Int64(Date().timeIntervalSince1970 * 1_000)
        let refused = Counter()
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: connections) { lane in
            var index = lane + 1
            while index <= burst {
                if clients[lane].post(Self.path, Self.alarm(index, at: stamp)) != 200 { refused.add() }
                index += connections
            }
        }
        let answered = start.duration(to: .now).secondsValue
        let (called, missing) = waitForCalls(subscriber, count: burst, since: start)
        subscriber.stop()
        return Burst(
            label: "\(burst) pushed alarms over \(connections) connection\(connections == 1 ? "" : "s")", alarms: burst,
            answeredSeconds: answered, calledSeconds: called, refused: refused.value, missingCalls: missing)
    }

    /// The baseline: the same number of MQTT QoS 1 alarms published at once on one connection.
    private func mqttBurst() throws -> Burst {
        let rig = try Rig(nativeDetectors: burst, pushDetectors: 1)
        defer { rig.discard() }
        let subscriber = try BenchClient(port: rig.broker.port, name: "bench-calls", subscriptions: ["smokegate/notify/grid/#"])
        let publisher = try BenchClient(port: rig.broker.port, name: "bench-burst")
        let start = ContinuousClock.now
        for index in 1...burst {
            try publisher.publish(
                "smokegate/detectors/\(BenchConfiguration.deviceID(index))/event", #"{"type":"alarm","seq":1}"#, qos: 1)
        }
        let published = start.duration(to: .now).secondsValue
        let (called, missing) = waitForCalls(subscriber, count: burst, since: start)
        publisher.stop()
        subscriber.stop()
        return Burst(
            label: "\(burst) MQTT QoS 1 alarms on one connection (baseline)", alarms: burst, answeredSeconds: published,
            calledSeconds: called, missingCalls: missing)
    }

    /// Seconds from `start` until grid calls for `count` distinct detectors arrived (at most
    /// two minutes), and how many never did.
    private func waitForCalls(_ subscriber: BenchClient, count: Int, since start: ContinuousClock.Instant) -> (Double, Int) {
        var devices: Set<String> = []
        var last = start
        let deadline = ContinuousClock.now + .seconds(120)
        while devices.count < count, ContinuousClock.now < deadline {
            for arrival in subscriber.inbox.wait(until: min(deadline, .now + .milliseconds(20))) {
                if let call = Call(arrival), call.action == "notify", devices.insert(call.device).inserted {
                    last = call.arrival.instant
                }
            }
        }
        return (start.duration(to: last).secondsValue, count - devices.count)
    }

    /// A count shared by the pushing threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
