import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate-sim record` and `replay` on a real broker: a recording replays byte for byte,
/// and `--speed` keeps the schedule.
@Suite(.serialized) struct RecordReplayTests {
    struct Line {
        var at: Double
        var topic: String
        var payload: String
    }

    /// The lines of a recorded scenario: time, topic and the payload field as written.
    private func lines(_ url: URL) throws -> [Line] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let payload =
                (object["payload_text"] as? String).map { "text:" + $0 } ?? "base64:"
                + (object["payload_base64"] as? String ?? "?")
            return Line(at: object["at"] as? Double ?? -1, topic: object["topic"] as? String ?? "", payload: payload)
        }
    }

    /// Starts `record` for `count` messages on `rt/#` and waits until it is subscribed.
    private func startRecording(_ broker: MosquittoBroker, count: Int, into file: URL) async throws -> BinaryProcess {
        let recorder = try BinaryProcess(
            "smokegate-sim",
            ["record", "--port", "\(broker.port)", "--topic", "rt/#", "--count", "\(count)", "--output", file.path])
        // A marker message shows the subscription is in place; the recording keeps it as line 1.
        let publisher = try await TestPublisher.connect(port: broker.port)
        // Another marker only when a whole second passed without the last one being recorded:
        // then it was sent before the subscription, not merely written late.
        var subscribed = false
        for _ in 0..<10 where !subscribed {
            try await publisher.publish("rt/marker", "ready")
            for _ in 0..<50 where !subscribed {
                try await Task.sleep(for: .milliseconds(20))
                subscribed = (try? String(contentsOf: file, encoding: .utf8))?.isEmpty == false
            }
        }
        #expect(subscribed, "record never subscribed: \(recorder.standardError)")
        return recorder
    }

    @Test func aRecordingReplaysByteForByte() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let folder = try TemporaryFolder.make(prefix: "record")
        let first = folder.appendingPathComponent("first.jsonl")
        let payloads: [(String, [UInt8])] = [
            ("rt/detectors/det-1/event", Array(#"{ "type" :"alarm",  "seq":1 }"#.utf8)),
            ("rt/zigbee2mqtt/厨房", Array(#"{"smoke":true,"名称":"厨房\n烟感"}"#.utf8)),
            ("rt/detectors/det-2/event", Array("{not json".utf8)),
            ("rt/binary", [0x00, 0xFF, 0xFE, 0x41, 0x0A]),
        ]
        let recorder = try await startRecording(broker, count: 1 + payloads.count, into: first)
        let publisher = try await TestPublisher.connect(port: broker.port)
        for (topic, payload) in payloads {
            try await publisher.publish(topic, payload)
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await recorder.waitForExit(timeout: 10) == 0, "\(recorder.standardError)")
        let recorded = try lines(first).dropFirst()
        #expect(recorded.map(\.topic) == payloads.map(\.0))
        #expect(
            recorded.last?.payload == "base64:" + Data(payloads[3].1).base64EncodedString(), "bytes that are not text survive")

        let second = folder.appendingPathComponent("second.jsonl")
        let again = try await startRecording(broker, count: 1 + payloads.count + 1, into: second)
        let replay = try await BinaryProcess.run("smokegate-sim", ["replay", first.path, "--port", "\(broker.port)"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(await again.waitForExit(timeout: 10) == 0, "\(again.standardError)")
        let replayed = try lines(second).dropFirst()
        #expect(replayed.map(\.topic) == ["rt/marker"] + payloads.map(\.0))
        #expect(replayed.map(\.payload) == (try lines(first)).map(\.payload), "the same bytes, message for message")
        let original = try lines(first).map(\.at)
        let copy = Array(replayed.map(\.at))
        let offsets = zip(original, copy).map { ($0 - original[0], $1 - copy[0]) }
        // The recorder stamps arrival, so a loaded machine can only make a message late, never early:
        // no message may come before its time, and the typical one must keep it.
        #expect(offsets.allSatisfy { $0.1 > $0.0 - 0.05 }, "none ahead of the recording: \(offsets)")
        #expect(Self.median(offsets.map { abs($0.1 - $0.0) }) < 0.05, "the same timing: \(offsets)")
    }

    @Test func speedCompressesTheScheduleAndKeepsItsShape() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let folder = try TemporaryFolder.make(prefix: "speed")
        let scenario = folder.appendingPathComponent("steps.jsonl")
        try (0..<9).map { #"{"at": \#(Double($0) * 2), "topic": "rt/step", "payload": {"n": \#($0)}}"# }.joined(separator: "\n")
            .write(to: scenario, atomically: true, encoding: .utf8)
        let capture = folder.appendingPathComponent("capture.jsonl")
        let recorder = try await startRecording(broker, count: 10, into: capture)
        let replay = try await BinaryProcess.run(
            "smokegate-sim", ["replay", scenario.path, "--port", "\(broker.port)", "--speed", "4"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(await recorder.waitForExit(timeout: 10) == 0)
        let times = try lines(capture).dropFirst().map(\.at)
        #expect(times.count == 9)
        let offsets = times.map { $0 - times[0] }
        // Every 2 s compressed to every 0.5 s. Arrival stamps can only run late on a loaded machine,
        // so: nothing early, and the fitted spacing tells --speed 4 (0.5 s) from 3 (0.67 s) or 5 (0.4 s)
        // however late one message happens to be written.
        for (index, offset) in offsets.enumerated() {
            #expect(offset > Double(index) * 0.5 - 0.05, "message \(index) at \(offset) s, scheduled \(Double(index) * 0.5) s")
        }
        let spacing = Self.fittedSlope(offsets)
        #expect(abs(spacing - 0.5) < 0.04, "spacing \(spacing) s: \(offsets)")
    }

    /// The middle value: one message written late does not move it.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    /// The least-squares slope of `values` against their index: the schedule's spacing.
    static func fittedSlope(_ values: [Double]) -> Double {
        let n = Double(values.count)
        let meanIndex = (n - 1) / 2
        let meanValue = values.reduce(0, +) / n
        let covariance = values.enumerated().reduce(0) { $0 + (Double($1.offset) - meanIndex) * ($1.element - meanValue) }
        let variance = values.indices.reduce(0) { $0 + pow(Double($1) - meanIndex, 2) }
        return covariance / variance
    }

    @Test func aSeededFleetSendsTheSameTrafficTwice() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let folder = try TemporaryFolder.make(prefix: "fleet")
        var runs: [[Line]] = []
        var summaries: [String] = []
        for run in 0..<2 {
            let capture = folder.appendingPathComponent("run\(run).jsonl")
            let recorder = try await startRecording(broker, count: 301, into: capture)
            let fleet = try await BinaryProcess.run(
                "smokegate-sim",
                [
                    "fleet", "--port", "\(broker.port)", "--devices", "20", "--rate", "0", "--count", "300", "--qos", "1",
                    "--alarm-rate", "100", "--seed", "42", "--topic", "rt/det/{id}",
                ])
            #expect(fleet.status == 0, "\(fleet.stderr)")
            summaries.append(fleet.stdout)
            #expect(await recorder.waitForExit(timeout: 20) == 0, "\(recorder.standardError)")
            runs.append(Array(try lines(capture).dropFirst()))
        }
        #expect(runs[0].count == 300)
        #expect(runs[0].map(\.topic) == runs[1].map(\.topic) && runs[0].map(\.payload) == runs[1].map(\.payload))
        let kinds = Set(runs[0].compactMap { $0.payload.split(separator: "\"")[safe: 3].map(String.init) })
        #expect(kinds.isSuperset(of: ["heartbeat", "alarm"]), "\(kinds)")
        #expect(summaries[0].contains("seed 42") && summaries[0].contains("alarm"), "\(summaries[0])")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
