import Foundation
import SmokeGateTestSupport

/// The benchmark's table: what it ran, when, and the figures, as `docs/performance.md` quotes them.
struct ClusterReport {
    let command: String
    let date: String
    let lease: Int
    let nextTierAfter: Int
    let failover: Failover.Result?
    let stores:
        (samples: [StoreComparison.Variant: StoreComparison.Sample], variants: [StoreComparison.Variant], versions: [String])?
    let burst: Int

    /// Every kill followed by its call, each call under one id, every timed alarm called.
    var complete: Bool {
        let failed = failover.map { !$0.missing.isEmpty || !$0.doubled.isEmpty } ?? false
        let missing = stores.map { $0.samples.values.contains { $0.missing > 0 } } ?? false
        return !failed && !missing
    }

    var text: String {
        var lines = ["`\(command)`, \(date)", ""]
        if let failover {
            let times = Distribution(failover.failover)
            let late = Distribution(failover.lateness)
            let delay = Distribution(failover.killDelay)
            lines += [
                "| failover, lease \(lease) s, \(failover.killed.count) kills | p50 | p99 | max |", "| --- | --- | --- | --- |",
                String(
                    format: "| kill → next tier's call on the broker (s) | %.2f | %.2f | %.2f |", times.p50, times.p99, times.max),
                String(
                    format: "| that tier's lateness against its offset (+%d s) (s) | %.2f | %.2f | %.2f |", nextTierAfter,
                    late.p50,
                    late.p99, late.max),
                String(format: "| grid call received → kill (ms) | %.0f | %.0f | %.0f |", delay.p50, delay.p99, delay.max),
                "",
                "killed: \(counts(failover.killed)); back as: \(counts(failover.cameBackAs)); "
                    + "no next call: \(failover.missing.count); calls under two ids: \(failover.doubled.count); "
                    + String(format: "%.0f s", failover.seconds),
                "",
            ]
        }
        if let stores, let sqlite = stores.samples[.sqlite] {
            let others = stores.variants.filter { $0 != .sqlite }
            let head = ["SQLite"] + others.flatMap { [$0.title, "\($0.title) / SQLite"] }
            lines.append("| store | " + head.joined(separator: " | ") + " |")
            lines.append("| --- |" + String(repeating: " --- |", count: head.count))
            func row(_ label: String, _ format: String, _ value: (StoreComparison.Sample) -> Double) -> String {
                let base = value(sqlite)
                let cells =
                    [String(format: format, base)]
                    + others.flatMap { variant -> [String] in
                        guard let sample = stores.samples[variant] else { return ["-", "-"] }
                        let figure = value(sample)
                        return [String(format: format, figure), String(format: "%.2f×", figure / base)]
                    }
                return "| \(label) | " + cells.joined(separator: " | ") + " |"
            }
            lines += [
                row("alarm → grid call p50 (ms)", "%.1f") { Distribution($0.latency).p50 },
                row("alarm → grid call p99 (ms)", "%.1f") { Distribution($0.latency).p99 },
                row("ingest: alarms committed per second, burst of \(burst)", "%.0f") { mean($0.rates) },
                row("burst: first alarm → last grid call (s)", "%.1f") { mean($0.lastCall) },
            ]
            let samples = stores.variants.compactMap { variant in
                stores.samples[variant].map {
                    "\(variant.title) \($0.latency.count) timed (\($0.missing) without a call), rates "
                        + $0.rates.map { String(format: "%.0f", $0) }.joined(separator: ", ") + "/s"
                }
            }
            lines += ["", stores.versions.joined(separator: "; ") + ".", samples.joined(separator: "; ")]
        }
        return lines.joined(separator: "\n")
    }

    private func counts(_ values: [String]) -> String {
        Dictionary(grouping: values, by: { $0 }).map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", ")
    }

    private func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
}
