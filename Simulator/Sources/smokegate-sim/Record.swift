import ArgumentParser
import Dispatch
import Foundation
import Logging
import SmokeGateCore
import SmokeGateMQTT

extension SmokegateSim {
    /// `smokegate-sim record`: captures live traffic as a scenario that `replay` plays back.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe to topics and write what arrives as a scenario (JSON Lines) for replay.",
            discussion: """
                Each message becomes {"at": seconds since the first message, "topic": …, "payload_text": …}:
                the payload's exact bytes, so a replay publishes the same bytes (payload_base64 for bytes that
                are not UTF-8). Lines are written as messages arrive, so stopping with Ctrl-C keeps everything
                recorded so far.

                Examples:
                  smokegate-sim record --topic 'smokegate/detectors/#' --duration 10m --output capture.jsonl
                  smokegate-sim record --topic 'zigbee2mqtt/#' --topic 'ctwing/#' --count 500 > capture.jsonl
                """)

        @OptionGroup var broker: BrokerOptions
        @Option(name: .long, help: "A topic filter to record (repeatable; default '#').") var topic: [String] = []
        @Option(name: .long, help: "Write the scenario here (default: standard output).") var output: String?
        @Option(name: .long, help: "Stop after this long: 30s, 10m, 2h.") var duration: String?
        @Option(name: .long, help: "Stop after this many messages.") var count: Int?

        func validate() throws {
            if let duration, (DurationText.parse(duration) ?? .zero) <= .zero {
                throw ValidationError("--duration must be a duration such as 30s, 10m or 2h, got '\(duration)'")
            }
            if let count, count <= 0 { throw ValidationError("--count must be positive") }
        }

        func run() throws {
            let sink = try ScenarioSink(path: output)
            let recorder = Recorder(sink: sink, limit: count)
            let client = try MQTTClient(
                options: MQTTOptions(
                    host: broker.host, port: broker.port,
                    clientID: broker.clientID ?? "smokegate-sim-record-\(UInt32.random(in: 0...UInt32.max))", cleanSession: true,
                    username: broker.username, password: try broker.password(),
                    subscriptions: topic.isEmpty ? ["#"] : topic),
                delegate: recorder, logger: Logger(label: "smokegate-sim") { _ in SwiftLogNoOpLogHandler() })
            client.start()
            defer { client.stop() }
            // Ctrl-C or SIGTERM ends the recording cleanly; the sources live as long as run().
            var sources: [any DispatchSourceSignal] = []
            for signal in [SIGINT, SIGTERM] {
                Foundation.signal(signal, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signal)
                source.setEventHandler { recorder.finish() }
                source.resume()
                sources.append(source)
            }
            let timeout: DispatchTime = duration.flatMap(DurationText.parse).map { .now() + $0.secondsValue } ?? .distantFuture
            _ = recorder.done.wait(timeout: timeout)
            sources.forEach { $0.cancel() }
            try sink.close()
            FileHandle.standardError.write(Data("recorded \(recorder.recorded) messages\n".utf8))
        }
    }
}
