import ArgumentParser
import Foundation
import SmokeGateTestSupport

/// An hour of a street-sized fleet compressed in time: the real `smokegated` (release build)
/// under a steady heartbeat fleet, alarms arriving all along, operators acknowledging half
/// and resolving all. Reports memory over time, alarm-to-dispatch latency against the
/// broker's own round trip measured in the same run, escalation lateness and database size.
@main
struct SoakBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "SoakBenchmark",
        abstract: "An hour of a 100,000-detector fleet in fifteen minutes: memory, latency, lateness, database size.")

    @Option(help: "Detectors in the fleet.")
    var detectors = 100_000

    @Option(help: "Minutes of traffic.")
    var minutes = 15.0

    @Option(help: "Time compression: heartbeats, offline_after and the ladder all run this many times faster.")
    var compression = 4.0

    @Option(help: "Seconds between alarms (each from a detector in a venue of its own).")
    var alarmEvery = 2.0

    @Option(help: "Seconds between memory samples.")
    var sampleEvery = 10.0

    func validate() throws {
        guard detectors >= 1_000, minutes > 0, compression >= 1, alarmEvery > 0, sampleEvery > 0 else {
            throw ValidationError("--detectors must be at least 1000, and the other values positive (compression ≥ 1)")
        }
    }

    func run() async throws {
        let plan = SoakPlan(
            detectors: detectors, seconds: minutes * 60, compression: compression, alarmEvery: alarmEvery,
            sampleEvery: sampleEvery)
        print(
            "SoakBenchmark: \(detectors) detectors for \(String(format: "%g", minutes)) min at \(String(format: "%g", compression))× "
                + "(\(String(format: "%g", minutes * compression)) min of a street's time): heartbeat every "
                + "\(String(format: "%g", plan.heartbeat)) s, offline after \(String(format: "%g", plan.offlineAfter)) s, "
                + "ladder \(plan.ladder.map { String(format: "%g", $0) }.joined(separator: "/")) s")
        let rig = try await SoakRig(plan: plan)
        let outcome = try await SoakRun(plan: plan, rig: rig).run()
        SoakReport(plan: plan, outcome: outcome).print()
    }
}
