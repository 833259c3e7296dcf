import ArgumentParser
import Foundation
import Logging
import SmokeGateConfig
import SmokeGateDaemon
import SmokeGateMQTT
import SmokeGateTestSupport

/// Measures how fast the gateway accounts for heartbeats against `mosquitto_sub` draining
/// the same stream from the same broker, in the same run: the ratio is what counts on a
/// shared, noisy machine.
///
/// For each QoS level: a fresh broker; both subscribers register a persistent session; the
/// simulator publishes the stream while both are away (the broker queues it for each); then
/// `mosquitto_sub` drains its copy, timed from launch to exit, and the daemon, started
/// in-process, drains its copy, timed from start until every heartbeat is accounted for.
@main
struct IngestBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "IngestBenchmark", abstract: "Gateway heartbeat throughput against mosquitto_sub on the same broker.")

    @Option(help: "QoS 0 heartbeats to publish.") var qos0Count = 1_000_000
    @Option(help: "QoS 1 heartbeats to publish.") var qos1Count = 200_000
    @Option(help: "Detectors in the fleet.") var devices = 5_000
    @Option(help: "Rounds per QoS level (each one publishes the stream again).") var rounds = 1
    @Flag(help: "Only time decoding (no broker): the cost per heartbeat of the normaliser.") var decodeOnly = false
    @Flag(help: "Drain with a bare MQTTClient that only counts, instead of the daemon (isolates the MQTT layer).")
    var bareClient = false
    @Flag(help: "Measure a live stream instead of a drain: the publishers run while the consumer takes messages.")
    var live = false
    @Option(help: "Live: QoS levels, comma-separated.") var liveQos = "0,1"
    @Option(help: "Live: seconds measured per consumer and round.") var liveSeconds = 10.0
    @Option(help: "Live: seconds of stream before the measured window.") var liveWarmup = 3.0
    @Option(help: "Live: lines added to the broker's configuration, separated by ';' (e.g. 'max_inflight_messages 20').")
    var liveBroker = ""
    @Option(help: "Live: simulator processes publishing at once (the detectors are split among them).") var publishers = 3

    func run() throws {
        if decodeOnly {
            let perMessage = DecodeCost.measure(messages: qos0Count, devices: devices)
            print(String(format: "decode: %.3f µs per heartbeat (%.0f msg/s on one core)", perMessage * 1e6, 1 / perMessage))
            let perDevice = try FlushCost.measure(devices: devices)
            print(String(format: "flush: %.3f µs per device state (%d devices a batch)", perDevice * 1e6, devices))
            return
        }
        if live { return try runLive() }
        print("SmokeGate ingest benchmark: \(devices) detectors, \(qos0Count) QoS 0 and \(qos1Count) QoS 1 heartbeats")
        var results: [Result] = []
        for (qos, count) in [(Int32(0), qos0Count), (Int32(1), qos1Count)] where count > 0 {
            for round in 1...rounds {
                let result = try measure(qos: qos, count: count, gatewayFirst: round % 2 == 0)
                print(result.line(round: round))
                results.append(result)
            }
        }
        print("peak resident memory of the benchmark process (the daemon in-process): \(Memory.peakMiB()) MiB")
        print("")
        print("| QoS | messages | mosquitto_sub | smokegated | drain ratio | from-launch ratio |")
        print("| --- | --- | --- | --- | --- | --- |")
        for result in results { print(result.row) }
        for qos in [Int32(0), 1] {
            let ratios = results.filter { $0.qos == qos }.map(\.ratio).sorted()
            guard !ratios.isEmpty else { continue }
            print(
                String(
                    format: "QoS %d: median drain ratio %.2f over %d round(s) (min %.2f, max %.2f)", qos,
                    ratios[ratios.count / 2], ratios.count, ratios.first!, ratios.last!))
        }
    }

    struct Result {
        var qos: Int32
        var count: Int
        var publishRate: Double
        var gatewayFirst: Bool
        /// From launch until the last message, start-up included.
        var subscriberSeconds: Double
        var gatewaySeconds: Double
        /// Without start-up: the gateway from its first message to its last; mosquitto_sub
        /// from launch to exit less the time a connect-subscribe-exit run of it takes.
        var subscriberDrainSeconds: Double
        var gatewayDrainSeconds: Double
        var flushSeconds: Double

        var ratio: Double { subscriberDrainSeconds / gatewayDrainSeconds }
        var wallRatio: Double { subscriberSeconds / gatewaySeconds }

        func line(round: Int) -> String {
            String(
                format:
                    "QoS %d round %d (%@ first): published at %.0f msg/s; mosquitto_sub drains %.0f msg/s (%.2f s from launch); "
                    + "smokegated drains %.0f msg/s (%.2f s from start, final flush %.2f s); drain ratio %.2f, from-launch ratio %.2f",
                qos, round, gatewayFirst ? "smokegated" : "mosquitto_sub", publishRate,
                Double(count - 1) / subscriberDrainSeconds, subscriberSeconds,
                Double(count - 1) / gatewayDrainSeconds, gatewaySeconds, flushSeconds, ratio, wallRatio)
        }

        var row: String {
            String(
                format: "| %d | %d | %.0f msg/s | %.0f msg/s | %.2f× | %.2f× |", qos, count,
                Double(count - 1) / subscriberDrainSeconds,
                Double(count - 1) / gatewayDrainSeconds, ratio, wallRatio)
        }
    }

    func measure(qos: Int32, count: Int, gatewayFirst: Bool) throws -> Result {
        let broker = try MosquittoBroker(extraConfiguration: "queue_qos0_messages true\nmax_queued_bytes 0\nmemory_limit 0")
        defer { broker.stop() }
        let folder = try TemporaryFolder.make(prefix: "bench")
        let configuration = try benchConfiguration(folder: folder, port: broker.port)
        let filter = "smokegate/detectors/+/event"
        let subscriber = try Executables.find("mosquitto_sub", in: ["/usr/bin"])

        // 1. Both sessions exist before the stream starts, so the broker queues it for each.
        // Its duration (start, connect, subscribe, exit) is mosquitto_sub's start-up cost.
        let registrationStart = Date()
        try runToCompletion(
            subscriber, ["-h", "127.0.0.1", "-p", "\(broker.port)", "-c", "-i", "bench-sub", "-q", "\(qos)", "-t", filter, "-E"])
        let subscriberStartup = Date().timeIntervalSince(registrationStart)
        let registration = try Daemon(configuration: configuration, options: Daemon.Options(), logger: quiet)
        try runDaemon(registration, until: { registration.isConnected })

        // 2. The stream, published while both are away.
        let simulator = Executables.product("smokegate-sim").path
        let publishStart = Date()
        try runToCompletion(
            simulator,
            [
                "fleet", "--port", "\(broker.port)", "--devices", "\(devices)", "--rate", "0", "--count", "\(count)", "--qos",
                "\(qos)",
            ])
        let publishRate = Double(count) / Date().timeIntervalSince(publishStart)

        // 3. Each drains its copy; the order alternates between rounds so that neither is
        // always first on a broker that has just been busy.
        var subscriber_ = (total: 0.0, drain: 0.0)
        var gateway = (total: 0.0, drain: 0.0, flush: 0.0)
        let drainSubscriber = {
            // mosquitto_sub prints payloads (its default) to /dev/null.
            let start = Date()
            try runToCompletion(
                subscriber,
                [
                    "-h", "127.0.0.1", "-p", "\(broker.port)", "-c", "-i", "bench-sub", "-q", "\(qos)", "-t", filter, "-C",
                    "\(count)",
                ],
                timeout: 600)
            let total = Date().timeIntervalSince(start)
            subscriber_ = (total, total - subscriberStartup)
        }
        let drainGateway = {
            gateway =
                try bareClient
                ? drainWithBareClient(port: broker.port, qos: qos, count: count)
                : drainWithDaemon(configuration, count: count)
        }
        if gatewayFirst {
            try drainGateway()
            try drainSubscriber()
        } else {
            try drainSubscriber()
            try drainGateway()
        }
        return Result(
            qos: qos, count: count, publishRate: publishRate, gatewayFirst: gatewayFirst, subscriberSeconds: subscriber_.total,
            gatewaySeconds: gateway.total, subscriberDrainSeconds: subscriber_.drain, gatewayDrainSeconds: gateway.drain,
            flushSeconds: gateway.flush)
    }

    /// The daemon, in-process, from its start until every heartbeat is accounted for; the
    /// drain time runs from its first message (seen within a millisecond).
    func drainWithDaemon(_ configuration: GatewayConfiguration, count: Int) throws -> (
        total: Double, drain: Double, flush: Double
    ) {
        let start = Date()
        let daemon = try Daemon(configuration: configuration, options: Daemon.Options(), logger: quiet)
        var total = 0.0
        var firstSeen: Date?
        let flush = try runDaemon(daemon) {
            if firstSeen == nil, daemon.receivedCount > 0 { firstSeen = Date() }
            guard daemon.heartbeatCount >= count else { return false }
            total = Date().timeIntervalSince(start)
            return true
        }
        guard daemon.heartbeatCount == count else {
            throw ValidationError("the gateway accounted for \(daemon.heartbeatCount) heartbeats, expected \(count)")
        }
        return (total, total - (firstSeen ?? start).timeIntervalSince(start), flush)
    }

    /// A bare MQTTClient that only counts: the MQTT layer's own cost, for comparison.
    func drainWithBareClient(port: Int, qos: Int32, count: Int) throws -> (total: Double, drain: Double, flush: Double) {
        let counter = CountingDelegate()
        let start = Date()
        let client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: port, clientID: "bench-gw", subscriptions: ["smokegate/detectors/+/event"],
                subscriptionQoS: qos),
            delegate: counter, logger: quiet)
        client.start()
        while counter.count.load(ordering: .relaxed) < count { usleep(1_000) }
        let seconds = Date().timeIntervalSince(start)
        client.stop()
        return (seconds, seconds, 0)
    }

    var quiet: Logger { Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() } }

    /// Runs the daemon until `done` holds (polled every millisecond), then shuts it down and
    /// returns how long the shutdown (the final flush) took.
    @discardableResult
    func runDaemon(_ daemon: Daemon, timeout: TimeInterval = 600, until done: @escaping () -> Bool) throws -> Double {
        let finished = DispatchSemaphore(value: 0)
        let task = Task {
            try? await daemon.run()
            finished.signal()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while !done() {
            guard Date() < deadline else { throw ValidationError("the daemon did not finish in \(timeout)s") }
            usleep(1_000)
        }
        let stopStart = Date()
        Task { await daemon.shutdown() }
        finished.wait()
        _ = task
        return Date().timeIntervalSince(stopStart)
    }

    func runToCompletion(_ path: String, _ arguments: [String], output: URL? = nil, timeout: TimeInterval = 300) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let output {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: output)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = FileHandle.standardError
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw ValidationError("\(path) did not finish in \(timeout)s")
            }
            usleep(500)
        }
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(path) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }

    func runLive() throws {
        let levels = try liveQos.split(separator: ",").map { text -> Int32 in
            guard let qos = Int32(text.trimmingCharacters(in: .whitespaces)), qos == 0 || qos == 1 else {
                throw ValidationError("--live-qos '\(liveQos)': give 0, 1 or 0,1")
            }
            return qos
        }
        let consumers: [LiveStream.Consumer] = bareClient ? [.subscriber, .gateway, .bare] : [.subscriber, .gateway]
        print(
            "SmokeGate live-stream ingest benchmark: \(devices) detectors on \(publishers) publisher(s), "
                + "\(liveWarmup) s warm-up then \(liveSeconds) s measured per consumer, \(rounds) round(s)")
        let stream = LiveStream(
            devices: devices, publishers: publishers, warmup: liveWarmup, seconds: liveSeconds, consumers: consumers,
            brokerConfiguration: liveBroker.split(separator: ";").joined(separator: "\n"),
            configuration: { folder, port, prefixes in
                try benchConfiguration(folder: folder, port: port, prefixes: prefixes)
            }, quiet: quiet)
        let samples = try stream.run(qosLevels: levels, rounds: rounds)
        LiveStream.printSummary(samples, consumers: consumers)
    }

    func benchConfiguration(folder: URL, port: Int, prefixes: [String] = ["SIM"]) throws -> GatewayConfiguration {
        let files = try TestConfiguration(brokerPort: port, clientID: "bench-gw")
        var csv = "device_id,grid,address,venue,venue_type,profile\n"
        let perPrefix = max(1, devices / prefixes.count)
        for prefix in prefixes {
            for index in 1...perPrefix {
                csv += String(
                    format: "%@-%06d,yq-c01-g01,bench address %d,bench venue %d,residential,\n", prefix, index, index, index / 4)
            }
        }
        try csv.write(to: files.folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        return try GatewayConfiguration.load(from: files.mainFile.path)
    }
}
