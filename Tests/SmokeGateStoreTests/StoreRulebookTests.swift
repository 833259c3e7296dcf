import Foundation
import RulebookScenarios
import SmokeGateCore
import SmokeGateStore
import Testing

/// The rulebook's timelines again, carried out by the real store on a real SQLite file.
@Suite struct StoreRulebookTests {
    @Test(arguments: RulebookTimelines.all)
    func rule(_ timeline: RulebookTimeline) throws {
        let store = try StoreDesk(ladder: timeline.ladder)
        defer { store.discard() }
        var desk: any RulebookDesk = store
        try timeline.run(&desk)
    }
}

/// The same seeded scenarios as `RulebookPropertyTests`, played on the in-memory desk and the
/// real store in lockstep: after every step both keep every promise, and both made the same
/// calls and left the same incidents. `SMOKEGATE_STORE_PROPERTY_RUNS` sets how many (100 in
/// `make test`); `SMOKEGATE_PROPERTY_SEED` replays one.
@Suite struct StoreRulebookPropertyTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["SMOKEGATE_PROPERTY_SEED"].flatMap(UInt64.init) { return [seed] }
        let runs = environment["SMOKEGATE_STORE_PROPERTY_RUNS"].flatMap(Int.init) ?? 100
        return (0..<UInt64(runs)).map { 0x5EED_0000 + $0 }
    }

    @Test func theStoreAndTheMemoryDeskAgreeAndKeepEveryPromise() throws {
        var failures: [String] = []
        for seed in Self.seeds {
            let scenario = RulebookScenario(seed: seed, length: 60)
            let store = try StoreDesk(ladder: RulebookScenario.ladder)
            defer { store.discard() }
            var memory = RulebookRun(VirtualDesk(ladder: RulebookScenario.ladder))
            var real = RulebookRun(store)
            for (index, (at, step)) in scenario.steps.enumerated() {
                let (expected, _) = try memory.perform(step, at: at)
                let (outcome, broken) = try real.perform(step, at: at)
                var differences = broken
                if outcome != expected { differences.append("outcome \(outcome), in memory \(expected)") }
                differences += try Self.differences(real.desk, memory.desk)
                if !differences.isEmpty {
                    failures.append("step \(index) (\(step) at \(at)s):\n\(differences.joined(separator: "\n"))\n\(scenario)")
                    break
                }
            }
            if failures.count >= 2 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    /// Where the store and the memory desk disagree: calls, and what each incident became.
    static func differences(_ real: some RulebookDesk, _ memory: some RulebookDesk) throws -> [String] {
        var found: [String] = []
        if real.calls != memory.calls {
            let shared = min(real.calls.count, memory.calls.count)
            let first = (0..<shared).first { real.calls[$0] != memory.calls[$0] } ?? shared
            found.append(
                "calls differ from #\(first): store \(real.calls.dropFirst(first).prefix(3)), memory \(memory.calls.dropFirst(first).prefix(3))"
            )
        }
        let (stored, kept) = (try real.incidents(), try memory.incidents())
        if stored.count != kept.count { found.append("store has \(stored.count) incidents, memory \(kept.count)") }
        for (id, incident) in kept {
            guard let other = stored[id] else { continue }
            if summary(other) != summary(incident) {
                found.append("incident \(id): store \(summary(other)), memory \(summary(incident))")
            }
        }
        return found
    }

    static func summary(_ incident: Incident) -> String {
        let deadline = incident.nextDeadline.map { String(format: "%.3f", $0.timeIntervalSince(VirtualDesk.start)) } ?? "-"
        let origin = String(format: "%.3f", incident.ladderOrigin.timeIntervalSince(VirtualDesk.start))
        return
            "\(incident.kind.rawValue) \(incident.state.rawValue) members \(incident.members) called \(incident.calledInOrder.map(\.rawValue)) "
            + "next \(deadline) origin \(origin) silence \(incident.silenceID.map(String.init) ?? "-") acked \(incident.ackedBy ?? "-")"
    }
}
