import ArgumentParser
import Foundation

extension SmokegateSim {
    /// `smokegate-sim replay`: publishes a scenario file with its timing.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a scenario (JSON Lines: {\"at\": seconds, \"topic\": …, \"payload\": {…}}) with its timing.",
            discussion: """
                "payload_text" instead of "payload" sends bytes that are not JSON (and "payload_base64" bytes
                that are not text). Messages leave at their time from the start, not after the previous one, so
                timing does not drift however long the file. --loop plays it again until Ctrl-C.

                Example:
                  smokegate-sim replay Simulator/Scenarios/kitchen-smoke.jsonl --speed 10
                """)

        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The scenario file.") var file: String
        @Option(name: .long, help: "Time factor: 2 plays twice as fast.") var speed = 1.0
        @Option(name: .long, help: "MQTT QoS, 0 or 1.") var qos: Int32 = 1
        @Flag(name: .long, help: "Play the scenario again and again until interrupted.") var loop = false

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
            guard let length = steps.last?.at else { throw SimulatorError("\(file) holds no messages") }
            let publisher = try Publisher(broker)
            let progress = Progress(total: steps.count, enabled: isatty(STDERR_FILENO) == 1)
            let started = Date()
            var round = 0
            repeat {
                // Each round starts a moment after the last message of the one before.
                let offset = Double(round) * (length + 1)
                for (index, step) in steps.enumerated() {
                    let wait = started.addingTimeInterval((offset + step.at) / speed).timeIntervalSinceNow
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    try publisher.publish(step.topic, step.payload, qos: qos)
                    progress.show(index + 1, round: round, elapsed: Date().timeIntervalSince(started))
                }
                round += 1
            } while loop
            try publisher.drain()
            publisher.close()
            progress.end()
            print(
                "replayed \(steps.count) messages from \(file) in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
        }

        /// A progress line on a terminal, redrawn at most ten times a second.
        final class Progress {
            let total: Int
            let enabled: Bool
            private var lastDrawn = Date.distantPast

            init(total: Int, enabled: Bool) {
                self.total = total
                self.enabled = enabled
            }

            func show(_ sent: Int, round: Int, elapsed: TimeInterval) {
                guard enabled, sent == total || Date().timeIntervalSince(lastDrawn) > 0.1 else { return }
                lastDrawn = Date()
                let pass = round > 0 ? " (round \(round + 1))" : ""
                FileHandle.standardError.write(
                    Data("\r\(sent)/\(total) messages\(pass), \(String(format: "%.1f", elapsed)) s\u{1B}[K".utf8))
            }

            func end() {
                if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
            }
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
                } else if let encoded = object["payload_base64"] as? String {
                    guard let bytes = Data(base64Encoded: encoded) else {
                        throw SimulatorError("\(where_): 'payload_base64' is not base64")
                    }
                    payload = Array(bytes)
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
