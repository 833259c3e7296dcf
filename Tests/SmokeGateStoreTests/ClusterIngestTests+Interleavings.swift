import Foundation
import GRDB
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Seeded random runs of the cluster's ingest: a few detectors send messages, some with the
/// same bytes as earlier ones; both nodes hear them in order, each stamping its copies with
/// its own clock, now and then stalled (its copies late by more than the window), sometimes
/// missing copies (none, gw-b only, or either node, per run); the two nodes' commits
/// interleave at random. Then, for each run of copies with the same bytes close enough in
/// time to be the same messages (apart by no more than the window, one copy to the next):
/// - every copy a node heard is either an event it stored or its match of a distinct event
///   another node stored, so every message a node heard is stored at least once (identical
///   bytes cannot say which message a copy was: per bytes, the events stored are at least as
///   many as either node heard);
/// - when every copy lies within the window of every other, exactly that many: a message both
///   nodes heard in time is stored once;
/// - no message is stored more than twice.
/// `SMOKEGATE_CLUSTER_PROPERTY_RUNS` sets how many runs (30); `SMOKEGATE_PROPERTY_SEED` replays one.
extension ClusterIngestTests {
    static var interleavingSeeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["SMOKEGATE_PROPERTY_SEED"].flatMap(UInt64.init) { return [seed] }
        let runs = environment["SMOKEGATE_CLUSTER_PROPERTY_RUNS"].flatMap(Int.init) ?? 30
        return (0..<UInt64(runs)).map { 0xC1A5_0000 + $0 }
    }

    static let nodes = ["gw-a", "gw-b"]

    /// What detectors send: a few messages, so that the same bytes come again.
    static let repertoire = [
        Message(#"{"type":"alarm"}"#), Message(#"{"type":"alarm_clear"}"#, kind: .alarmClear),
        Message(#"{"type":"alarm","smoke":2}"#), Message(#"{"type":"alarm"}"#, device: "det-2"),
        Message(#"{"type":"test"}"#, kind: .test, device: "det-2"),
    ]

    /// One node's copy of one message: which message, which node, when the node heard it.
    struct Copy {
        var message: Int
        var node: Int
        var at: TimeInterval
    }

    @Test func everyMessageHeardIsStoredAndOnceWhenBothNodesHeardItInTime() throws {
        var failures: [String] = []
        for seed in Self.interleavingSeeds {
            do {
                let problems = try Self.play(seed: seed)
                if !problems.isEmpty { failures.append("seed \(seed): " + problems.prefix(3).joined(separator: "; ")) }
            } catch {
                failures.append("seed \(seed): \(error)")
            }
            if failures.count >= 3 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// One run; returns what broke.
    static func play(seed: UInt64) throws -> [String] {
        var random = SplitMix64(seed: seed)
        let database = try TestDatabase.make(prefix: "cluster-interleavings")
        let stores = try nodes.map { try database.open(node: $0) }
        var sent: [(message: Message, at: TimeInterval)] = []
        var now: TimeInterval = 0
        for _ in 0..<Int.random(in: 12...30, using: &random) {
            now +=
                Double.random(in: 0...1, using: &random) < 0.7
                ? .random(in: 0.2...4, using: &random) : .random(in: 40...120, using: &random)
            sent.append((repertoire.randomElement(using: &random)!, now))
        }
        let losses = Int.random(in: 0..<3, using: &random)  // none, on gw-b only, on either node
        var queues: [[Copy]] = [[], []]
        for node in 0..<2 {
            var lag: TimeInterval = 0
            var last = -TimeInterval.infinity
            for (index, message) in sent.enumerated() {
                let mayLose = losses == 2 || (losses == 1 && node == 1)
                if mayLose && Double.random(in: 0...1, using: &random) < 0.25 { continue }
                lag =
                    Double.random(in: 0...1, using: &random) < 0.08
                    ? .random(in: 35...60, using: &random) : max(0, lag - .random(in: 0...20, using: &random))
                last = max(last + 0.001, message.at + lag + .random(in: 0...1.5, using: &random))
                queues[node].append(Copy(message: index, node: node, at: last))
            }
        }
        let copies = queues.flatMap { $0 }
        while !queues[0].isEmpty || !queues[1].isEmpty {
            let node = queues[0].isEmpty ? 1 : queues[1].isEmpty ? 0 : Int.random(in: 0...1, using: &random)
            let copy = queues[node].removeFirst()
            try hear(stores[node], sent[copy.message].message, at: copy.at)
        }
        return try check(copies, sent: sent.map(\.message), stores[0])
    }

    /// What is stored, held against what each node heard.
    static func check(_ copies: [Copy], sent: [Message], _ store: Store) throws -> [String] {
        let origin = t0.timeIntervalSince1970
        let (events, echoes) = try store.inspect { db in
            (
                try Row.fetchAll(db, sql: "SELECT id, device_id, kind, payload, node, received_at FROM event"),
                try Row.fetchAll(
                    db,
                    sql: "SELECT x.event_id, x.node, e.node AS stored_by FROM event_echo x LEFT JOIN event e ON e.id = x.event_id"
                )
            )
        }
        var problems: [String] = []
        for echo in echoes where (echo["stored_by"] as String?) == nil || echo["stored_by"] == echo["node"] as String {
            problems.append(
                "echo of event \(echo["event_id"] as Int64) by \(echo["node"] as String) matches no other node's event")
        }
        func bytes(_ message: Message) -> String { "\(message.device) \(message.kind.rawValue) \(message.payload)" }
        let eventsByBytes = Dictionary(grouping: events) {
            "\($0["device_id"] as String) \($0["kind"] as String) \($0["payload"] as String)"
        }
        for (key, heard) in Dictionary(grouping: copies, by: { bytes(sent[$0.message]) }) {
            let stored = eventsByBytes[key] ?? []
            let messages = Set(heard.map(\.message)).count
            if stored.count > 2 * messages { problems.append("\(key): \(stored.count) events for \(messages) messages") }
            // Copies whose stamps are more than the window apart, one to the next, can never match.
            var runs: [[Copy]] = []
            for copy in heard.sorted(by: { $0.at < $1.at }) {
                if let previous = runs.last?.last, copy.at - previous.at <= Store.clusterEchoWindow {
                    runs[runs.count - 1].append(copy)
                } else {
                    runs.append([copy])
                }
            }
            for run in runs {
                let (from, to) = (run.first!.at, run.last!.at)
                // Stamps come back as Unix seconds: equal to a copy's to within a microsecond.
                let inRun = stored.filter { (from - 1e-3...to + 1e-3).contains(($0["received_at"] as Double) - origin) }
                let ids = Set(inRun.map { $0["id"] as Int64 })
                let heardBy = nodes.indices.map { node in run.filter { $0.node == node }.count }
                let storedBy = nodes.map { node in inRun.filter { $0["node"] == node }.count }
                let matchedBy = nodes.map { node in
                    echoes.filter { ids.contains($0["event_id"]) && $0["node"] == node }.count
                }
                let shown = "\(key) at \(String(format: "%.1f", from))…\(String(format: "%.1f", to))"
                for node in nodes.indices where storedBy[node] + matchedBy[node] != heardBy[node] {
                    problems.append(
                        "\(shown): \(nodes[node]) heard \(heardBy[node]), stored \(storedBy[node]), matched \(matchedBy[node])")
                }
                if inRun.count < heardBy.max()! {
                    problems.append("\(shown): \(inRun.count) stored, a node heard \(heardBy.max()!)")
                }
                if to - from <= Store.clusterEchoWindow, inRun.count != heardBy.max()! {
                    problems.append("\(shown): heard within the window as \(heardBy) copies, stored \(inRun.count)")
                }
            }
        }
        return problems
    }
}
