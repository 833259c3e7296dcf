import Foundation
import RulebookScenarios
import SmokeGateCore
import Testing

/// Every rule of `IncidentRules`, as a timeline on the in-memory desk. The same timelines
/// run through the real SQLite store in `StoreRulebookTests`.
@Suite struct RulebookTests {
    @Test(arguments: RulebookTimelines.all)
    func rule(_ timeline: RulebookTimeline) throws {
        var desk: any RulebookDesk = VirtualDesk(ladder: timeline.ladder)
        try timeline.run(&desk)
    }
}

/// The rulebook's promises over long seeded random sequences (`RulebookScenario`), checked
/// after every step. `SMOKEGATE_PROPERTY_RUNS` sets how many (2,000 in `make test`), and
/// `SMOKEGATE_PROPERTY_SEED` replays one.
@Suite struct RulebookPropertyTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["SMOKEGATE_PROPERTY_SEED"].flatMap(UInt64.init) { return [seed] }
        let runs = environment["SMOKEGATE_PROPERTY_RUNS"].flatMap(Int.init) ?? 2_000
        return (0..<UInt64(runs)).map { 0x5EED_0000 + $0 }
    }

    @Test func everyPromiseHoldsAfterEveryStep() throws {
        var failures: [String] = []
        var steps = 0
        for seed in Self.seeds {
            let scenario = RulebookScenario(seed: seed, length: 80)
            var run = RulebookRun(VirtualDesk(ladder: RulebookScenario.ladder))
            for (at, step) in scenario.steps {
                let (_, broken) = try run.perform(step, at: at)
                steps += 1
                if !broken.isEmpty {
                    failures.append("\(broken.joined(separator: "\n"))\n\(scenario)")
                    break
                }
            }
            if failures.count >= 3 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        #expect(steps >= Self.seeds.count * 80 || !failures.isEmpty)
    }
}
