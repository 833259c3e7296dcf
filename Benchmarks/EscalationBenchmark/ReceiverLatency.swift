import Foundation
import SmokeGateTestSupport
import Synchronization

/// Measurement 5: the last mile. (a) Alarm → the grid's webhook double, beside alarm → the
/// grid's MQTT call, for the same alarms in the same run, under heartbeat load: what the
/// delivery lane adds to the call. (b) A burst of fires while the SMS provider answers every
/// text in `slowSeconds`: the webhook's calls, in their own lane, against the same burst with
/// a provider that answers at once, in the same run.
struct ReceiverLatency {
    var alarms: Int
    var heartbeatRate: Int
    var heartbeatDevices: Int
    var burst: Int
    var slowSeconds: Double
    var gap: ClosedRange<Int> = 100...200
    var callTimeout: Duration = .seconds(10)

    struct Result {
        /// Alarm published → MQTT grid call, and → the grid's webhook, in ms (same alarms).
        var toMQTT: [Double] = []
        var toWebhook: [Double] = []
        var missing = 0
        /// The burst: alarm published → webhook, with texts answered at once / slowly.
        var burstFast: [Double] = []
        var burstSlow: [Double] = []
        var burstMissing = 0
        /// Texts the slow provider had taken when the webhook's last call arrived.
        var textsTakenMeanwhile = 0
    }

    /// Arrivals at the doubles, stamped on the monotonic clock as they come.
    final class Arrivals: Sendable {
        private let byDevice = Mutex<[String: ContinuousClock.Instant]>([:])
        private let texts = Atomic<Int>(0)

        func take(_ message: ReceivedMessage) {
            let now = ContinuousClock.now
            if message.vendor == .aliyunSMS { texts.add(1, ordering: .relaxed) }
            guard message.vendor == .webhook, message.fields["action"] == "notify", let device = message.fields["device"]
            else { return }
            byDevice.withLock { if $0[device] == nil { $0[device] = now } }
        }

        func arrival(of device: String) -> ContinuousClock.Instant? { byDevice.withLock { $0[device] } }
        var count: Int { byDevice.withLock { $0.count } }
        var textCount: Int { texts.load(ordering: .relaxed) }
        func reset() { byDevice.withLock { $0 = [:] } }
    }

    func run() async throws -> Result {
        var result = Result()
        try await latency(into: &result)
        result.burstFast = try await burst(slow: false, into: &result)
        result.burstSlow = try await burst(slow: true, into: &result)
        return result
    }

    /// A broker, the vendors' doubles (texts answered at once or in `slowSeconds`) and the
    /// daemon on a street whose grids are reached through a webhook and texts.
    struct Rig {
        let broker: MosquittoBroker
        let arrivals = Arrivals()
        let doubles: ReceiverDoubles
        let setup: BenchConfiguration
        let daemon: RunningDaemon

        init(measurement: ReceiverLatency, detectors: Int, slowTexts: Bool) async throws {
            broker = try MosquittoBroker()
            let arrivals = self.arrivals
            doubles = ReceiverDoubles(onReceive: { arrivals.take($0) })
            let doublesPort = try await doubles.start()
            if slowTexts { doubles.script(.aliyunSMS, [], thereafter: .slow(seconds: measurement.slowSeconds)) }
            setup = try ReceiverLatency.configuration(brokerPort: broker.port, doublesPort: doublesPort, detectors: detectors)
            daemon = try RunningDaemon(configuration: setup.configuration)
        }

        /// Removes the folders; the broker stops with them.
        func discard() {
            broker.stop()
            try? FileManager.default.removeItem(at: broker.folder)
            try? FileManager.default.removeItem(at: setup.folder)
        }
    }

    /// The street of `BenchConfiguration` with the grid reached through a webhook and texts at
    /// the doubles on `port`.
    static func configuration(brokerPort: Int, doublesPort: Int, detectors: Int) throws -> BenchConfiguration {
        let credentials = DoubleCredentials()
        return try BenchConfiguration(
            port: brokerPort, detectors: detectors, escalation: [("grid", "0s"), ("community", "1h")],
            extra: """
                receivers:
                  - { name: grid-hook, type: webhook, url: "http://127.0.0.1:\(doublesPort)/hooks/grid", secret_file: hook.whsec }
                  - { name: grid-sms, type: aliyun_sms, endpoint: "http://127.0.0.1:\(doublesPort)/sms/",
                      access_key_id: \(credentials.aliyunAccessKeyID), access_key_secret_file: aliyun.secret,
                      sign_name: 涌泉街道, template_code: SMS_000000, timeout: 30s }
                """,
            gridReceivers: ["grid-hook", "grid-sms"],
            secrets: [("hook.whsec", credentials.webhookSecret ?? ""), ("aliyun.secret", credentials.aliyunAccessKeySecret)])
    }

    /// (a): alarms one at a time among heartbeats, each timed to its MQTT call and its webhook.
    private func latency(into result: inout Result) async throws {
        let rig = try await Rig(measurement: self, detectors: max(heartbeatDevices, alarms), slowTexts: false)
        defer { rig.discard() }
        let (broker, arrivals, doubles, daemon) = (rig.broker, rig.arrivals, rig.doubles, rig.daemon)
        let subscriber = try BenchClient(port: broker.port, name: "bench-calls", subscriptions: ["smokegate/notify/grid/#"])
        let publisher = try BenchClient(port: broker.port, name: "bench-alarms")
        let load = try HeartbeatLoad(
            port: broker.port, rate: heartbeatRate, devices: heartbeatDevices, qos: .mix, connections: 4)
        load.start()
        sleep(until: .now + .seconds(2))
        var calls: [String: Call] = [:]
        for index in 1...alarms {
            let device = BenchConfiguration.deviceID(index)
            let start = ContinuousClock.now
            try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(index)}"#, qos: 1)
            let deadline = start + callTimeout
            while calls[device] == nil || arrivals.arrival(of: device) == nil, ContinuousClock.now < deadline {
                for arrival in subscriber.inbox.wait(until: min(deadline, .now + .milliseconds(5))) {
                    if let call = Call(arrival), call.action == "notify", calls[call.device] == nil { calls[call.device] = call }
                }
            }
            if let call = calls[device], let hook = arrivals.arrival(of: device) {
                result.toMQTT.append(start.duration(to: call.arrival.instant).milliseconds)
                result.toWebhook.append(start.duration(to: hook).milliseconds)
            } else {
                result.missing += 1
            }
            sleep(until: .now + .milliseconds(Int.random(in: gap)))
        }
        load.stop()
        publisher.stop()
        subscriber.stop()
        daemon.stop()
        await doubles.stop()
    }

    /// (b): `burst` fires at once from distinct detectors; the texts answered at once or slowly.
    private func burst(slow: Bool, into result: inout Result) async throws -> [Double] {
        let rig = try await Rig(measurement: self, detectors: burst, slowTexts: slow)
        defer { rig.discard() }
        let (broker, arrivals, doubles, daemon) = (rig.broker, rig.arrivals, rig.doubles, rig.daemon)
        let publisher = try BenchClient(port: broker.port, name: "bench-burst")
        var published: [String: ContinuousClock.Instant] = [:]
        for index in 1...burst {
            let device = BenchConfiguration.deviceID(index)
            published[device] = ContinuousClock.now
            try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":1}"#, qos: 1)
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while arrivals.count < burst, ContinuousClock.now < deadline { usleep(10_000) }
        if slow { result.textsTakenMeanwhile = arrivals.textCount }
        var latencies: [Double] = []
        for (device, start) in published {
            if let hook = arrivals.arrival(of: device) {
                latencies.append(start.duration(to: hook).milliseconds)
            } else {
                result.burstMissing += 1
            }
        }
        publisher.stop()
        // The slow texts still in flight are cut short by the stop: the benchmark is over.
        daemon.stop(timeout: .seconds(30))
        await doubles.stop()
        return latencies
    }
}
