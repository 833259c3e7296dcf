import ArgumentParser
import Foundation

extension SmokegateSim {
    /// `smokegate-sim replay`: publishes a scenario file with its timing.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a scenario (JSON Lines: {\"at\": seconds, \"topic\": …, \"payload\": {…}}) with its timing.",
            discussion: """
                "payload_text" instead of "payload" sends bytes that are not JSON.

                Example:
                  smokegate-sim replay Simulator/Scenarios/kitchen-smoke.jsonl --speed 10
                """)

        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The scenario file.") var file: String
        @Option(name: .long, help: "Time factor: 2 plays twice as fast.") var speed = 1.0
        @Option(name: .long, help: "MQTT QoS, 0 or 1.") var qos: Int32 = 1

        struct Step {
            var line: Int
            var at: Double
            var topic: String
            var payload: [UInt8]
        }

        func validate() throws {
            guard speed > 0 else { throw ValidationError("--speed must be above 0") }
        }

        func run() throws {
            let steps = try Self.load(file)
            let publisher = try Publisher(broker)
            let started = Date()
            for step in steps {
                let wait = started.addingTimeInterval(step.at / speed).timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                try publisher.publish(step.topic, step.payload, qos: qos)
            }
            try publisher.drain()
            publisher.close()
            print(
                "replayed \(steps.count) messages from \(file) in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
        }

        static func load(_ file: String) throws -> [Step] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw SimulatorError("cannot read scenario \(file)")
            }
            var steps: [Step] = []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let where_ = "\(file):\(index + 1)"
                guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                    throw SimulatorError("\(where_): not a JSON object")
                }
                guard let at = (object["at"] as? NSNumber)?.doubleValue, at >= 0 else {
                    throw SimulatorError("\(where_): 'at' (seconds) is required")
                }
                guard let topic = object["topic"] as? String, !topic.isEmpty else {
                    throw SimulatorError("\(where_): 'topic' is required")
                }
                let payload: [UInt8]
                if let text = object["payload_text"] as? String {
                    payload = Array(text.utf8)
                } else if let value = object["payload"] {
                    payload = Array(
                        try JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes, .fragmentsAllowed]))
                } else {
                    throw SimulatorError("\(where_): 'payload' or 'payload_text' is required")
                }
                steps.append(Step(line: index + 1, at: at, topic: topic, payload: payload))
            }
            return steps.sorted { $0.at < $1.at }
        }
    }
}
