import ArgumentParser
import Foundation
import Logging
import SmokeGateConfig
import SmokeGateDaemon
import SmokeGateMQTT
import SmokeGateTestSupport

/// Measures ingest on a live stream, as a site runs: the publishers keep publishing while the
/// consumer takes messages, so nothing is queued up in advance and any wait of the consumer
/// (for a wake-up, an acknowledgement, a lock) shows as messages it never got to. The drain
/// benchmark cannot show that: there the broker has the whole stream ready for it.
///
/// Each round, for each consumer in turn (the order alternates between rounds): a fresh
/// broker; the consumer connects and subscribes; `publishers` simulator processes publish
/// heartbeats flat out; after `warmup` seconds the consumer's count and CPU time are sampled,
/// and again `seconds` later. The figure is messages per second over that window; the ratio
/// of the gateway's rate to `mosquitto_sub`'s is taken within the round.
struct LiveStream {
    /// Who takes the stream.
    enum Consumer: String, CaseIterable {
        case subscriber = "mosquitto_sub"
        case gateway = "smokegated"
        /// A bare `MQTTClient` that only counts: the MQTT layer alone.
        case bare = "bare MQTTClient"
    }

    /// One consumer's figures over one window.
    struct Sample {
        var consumer: Consumer
        var qos: Int32
        var round: Int
        var messagesPerSecond: Double
        /// Process CPU time (user and system) per message taken, in microseconds.
        var cpuMicrosecondsPerMessage: Double
        /// What the publishers handed to the broker over the whole run, per second.
        var publishedPerSecond: Double
    }

    let devices: Int
    let publishers: Int
    let warmup: Double
    let seconds: Double
    let consumers: [Consumer]
    /// Lines added to the broker's configuration (after the shipped settings the tests use).
    let brokerConfiguration: String
    let configuration: (_ folder: URL, _ port: Int, _ prefixes: [String]) throws -> GatewayConfiguration
    let quiet: Logger

    static let filter = "smokegate/detectors/+/event"

    var prefixes: [String] { (1...publishers).map { "LIVE\($0)" } }

    func run(qosLevels: [Int32], rounds: Int) throws -> [Sample] {
        var samples: [Sample] = []
        for qos in qosLevels {
            for round in 1...rounds {
                let order = round % 2 == 1 ? consumers : consumers.reversed()
                for consumer in order {
                    let sample = try measure(consumer, qos: qos, round: round)
                    print(
                        String(
                            format: "live QoS %d round %d: %@ takes %.0f msg/s, %.2f µs CPU per message (publishers %.0f msg/s)",
                            qos, round, consumer.rawValue, sample.messagesPerSecond, sample.cpuMicrosecondsPerMessage,
                            sample.publishedPerSecond))
                    samples.append(sample)
                }
            }
        }
        return samples
    }

    func measure(_ consumer: Consumer, qos: Int32, round: Int) throws -> Sample {
        let broker = try MosquittoBroker(
            extraConfiguration: [
                "max_queued_bytes 0", "memory_limit 0", brokerConfiguration,
            ]
            .joined(separator: "\n"))
        defer { broker.stop() }
        let folder = try TemporaryFolder.make(prefix: "live")
        let taker = try LiveConsumer.start(consumer, broker: broker, qos: qos, folder: folder, context: self)
        defer { taker.stop() }

        let simulator = Executables.product("smokegate-sim").path
        let duration = Int((warmup + seconds + 1).rounded(.up))
        let perPublisher = max(1, devices / publishers)
        let started = Date()
        let running = try prefixes.enumerated().map { index, prefix in
            try ChildProcess(
                simulator,
                [
                    "fleet", "--port", "\(broker.port)", "--devices", "\(perPublisher)", "--prefix", prefix, "--rate", "0",
                    "--duration", "\(duration)s", "--qos", "\(qos)",
                ], standardOutput: folder.appendingPathComponent("publisher-\(index).out").path)
        }
        defer { for process in running { process.end() } }

        Thread.sleep(forTimeInterval: warmup)
        let first = taker.reading()
        Thread.sleep(forTimeInterval: seconds)
        let last = taker.reading()
        for process in running {
            guard process.reap(timeout: 120) == 0 else {
                throw ValidationError("a publisher (smokegate-sim fleet) failed; see \(folder.path)")
            }
        }
        let publishedTotal = try prefixes.indices.reduce(0) { total, index in
            let text = try String(contentsOf: folder.appendingPathComponent("publisher-\(index).out"), encoding: .utf8)
            let count = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return total + count
        }
        let messages = Double(last.messages - first.messages)
        guard messages > 0 else { throw ValidationError("\(consumer.rawValue) took no message in the window") }
        return Sample(
            consumer: consumer, qos: qos, round: round, messagesPerSecond: messages / last.at.timeIntervalSince(first.at),
            cpuMicrosecondsPerMessage: (last.cpuSeconds - first.cpuSeconds) / messages * 1e6,
            publishedPerSecond: Double(publishedTotal) / Date().timeIntervalSince(started))
    }

    /// The median ratio of `consumer`'s rate to mosquitto_sub's, round by round.
    static func ratios(_ samples: [Sample], consumer: Consumer, qos: Int32) -> [Double] {
        let rounds = Set(samples.filter { $0.qos == qos }.map(\.round)).sorted()
        return rounds.compactMap { round in
            let inRound = samples.filter { $0.qos == qos && $0.round == round }
            guard let mine = inRound.first(where: { $0.consumer == consumer }),
                let theirs = inRound.first(where: { $0.consumer == .subscriber })
            else { return nil }
            return mine.messagesPerSecond / theirs.messagesPerSecond
        }.sorted()
    }

    static func printSummary(_ samples: [Sample], consumers: [Consumer]) {
        print("")
        print("| QoS | round | consumer | msg/s | CPU µs/msg | publishers msg/s |")
        print("| --- | --- | --- | --- | --- | --- |")
        for sample in samples {
            print(
                String(
                    format: "| %d | %d | %@ | %.0f | %.2f | %.0f |", sample.qos, sample.round, sample.consumer.rawValue,
                    sample.messagesPerSecond, sample.cpuMicrosecondsPerMessage, sample.publishedPerSecond))
        }
        for qos in [Int32(0), 1] {
            for consumer in consumers where consumer != .subscriber {
                let ratios = Self.ratios(samples, consumer: consumer, qos: qos)
                guard !ratios.isEmpty else { continue }
                let cpu = samples.filter { $0.qos == qos && $0.consumer == consumer }.map(\.cpuMicrosecondsPerMessage).sorted()
                let subscriberCPU = samples.filter { $0.qos == qos && $0.consumer == .subscriber }.map(
                    \.cpuMicrosecondsPerMessage
                )
                .sorted()
                print(
                    String(
                        format: "live QoS %d: %@ / mosquitto_sub median ratio %.2f over %d round(s) (min %.2f, max %.2f); "
                            + "CPU per message, median: %.2f µs against %.2f µs",
                        qos, consumer.rawValue, ratios[ratios.count / 2], ratios.count, ratios.first!, ratios.last!,
                        cpu[cpu.count / 2], subscriberCPU.isEmpty ? 0 : subscriberCPU[subscriberCPU.count / 2]))
            }
        }
    }
}
