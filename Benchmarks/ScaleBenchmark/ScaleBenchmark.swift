import ArgumentParser
import Foundation
import SmokeGateTestSupport

/// A street-sized registry against a city-sized one: the real `smokegated` (release build)
/// started on 1,000 and on 1,000,000 registered detectors, timed from exec to `READY=1` on a
/// notify socket, its memory read from /proc, first on a fresh database and then on a restart,
/// and once more after a heartbeat fleet has touched every detector. The small registry is the
/// baseline of the same run, so figures are also given as ratios.
@main
struct ScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ScaleBenchmark", abstract: "Start-up time and memory of smokegated with a million detectors.")

    @Option(help: "Detectors in the large registry.")
    var detectors = 1_000_000

    @Option(help: "Detectors in the baseline registry.")
    var baseline = 1_000

    @Option(help: "Heartbeats a second the fleet sends while memory is watched.")
    var rate = 20_000

    @Option(help: "How long the fleet sends (seconds).")
    var seconds = 60

    func run() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        print("ScaleBenchmark: smokegated on \(baseline) and on \(detectors) registered detectors")
        let small = try await Scale.measure(detectors: baseline, broker: broker, fleetRate: 0, fleetSeconds: 0)
        let large = try await Scale.measure(detectors: detectors, broker: broker, fleetRate: rate, fleetSeconds: seconds)
        print("")
        print("| measure | \(baseline) detectors | \(detectors) detectors | ratio |")
        print("| --- | --- | --- | --- |")
        func row(_ label: String, _ a: Double, _ b: Double, _ unit: String, digits: Int = 2) {
            let format = "%.\(digits)f"
            print(
                "| \(label) | \(String(format: format, a)) \(unit) | \(String(format: format, b)) \(unit) | "
                    + "\(String(format: "%.1f×", b / a)) |")
        }
        row("start to READY, fresh database", small.fresh.ready, large.fresh.ready, "s")
        print(
            String(
                format: "| registry written after READY, fresh database | before READY | %.1f s later | |", large.fresh.mirrored))
        row(
            "alarm → grid call meanwhile, p50", small.fresh.milliseconds(at: 0.5), large.fresh.milliseconds(at: 0.5), "ms",
            digits: 1)
        row("alarm → grid call meanwhile, max", small.fresh.milliseconds(at: 1), large.fresh.milliseconds(at: 1), "ms", digits: 1)
        row("start to READY, restart", small.restartReady, large.restartReady, "s")
        row("resident memory at READY (restart)", small.restartRSS, large.restartRSS, "MiB", digits: 0)
        row("peak resident memory (restart)", small.restartPeak, large.restartPeak, "MiB", digits: 0)
        if let fleet = large.afterFleet {
            print(
                "| after \(seconds) s of \(rate) heartbeats/s (\(fleet.received) received) | | "
                    + String(format: "%.0f MiB resident, %.0f MiB peak", fleet.rss, fleet.peak) + " | |")
        }
        if let heard = large.heardRestart {
            print(
                "| restart with every detector heard | | "
                    + String(format: "READY after %.2f s, %.0f MiB resident, %.0f MiB peak", heard.ready, heard.rss, heard.peak)
                    + " | |")
        }
        print("")
        let peaks = [large.restartPeak, large.afterFleet?.peak ?? 0, large.fresh.peak, large.heardRestart?.peak ?? 0]
        let verdicts = [
            ("memory at most 512 MiB", peaks.max()! <= 512),
            (
                "start-up to READY at most 5 s",
                [large.fresh.ready, large.restartReady, large.heardRestart?.ready ?? 0].max()! <= 5
            ),
        ]
        for (label, ok) in verdicts { print("\(ok ? "met" : "MISSED"): \(label)") }
    }
}
