import Foundation

/// The run as tables: memory by minute and its growth after warm-up, alarm latency against
/// the broker's round trip, escalation lateness by tier, database size, and verdicts.
struct SoakReport {
    let plan: SoakPlan
    let outcome: SoakOutcome

    func print() {
        Swift.print("")
        Swift.print("| minute | resident memory | SQLite's part | the rest |")
        Swift.print("| --- | --- | --- | --- |")
        var minute = -1.0
        for sample in outcome.memory where (sample.at / 60).rounded(.down) > minute {
            minute = (sample.at / 60).rounded(.down)
            Swift.print(
                String(
                    format: "| %.0f | %.1f MiB | %.1f MiB | %.1f MiB |", minute, sample.rss, sample.sqlite,
                    sample.rss - sample.sqlite))
        }
        let warm = outcome.memory.filter { $0.at >= plan.warmUp }
        let atWarmUp = warm.first?.rss ?? 0
        let highest = warm.map(\.rss).max() ?? 0
        let slope = Self.slope(warm.map { ($0.at / 60, $0.rss) })
        let restAtWarmUp = warm.first.map { $0.rss - $0.sqlite } ?? 0
        let restHighest = warm.map { $0.rss - $0.sqlite }.max() ?? 0
        let restSlope = Self.slope(warm.map { ($0.at / 60, $0.rss - $0.sqlite) })
        Swift.print("")
        Swift.print(
            String(
                format: "memory after warm-up (%.0f s): %.1f MiB at its end, %.1f MiB highest (%+.1f%%), "
                    + "trend %+.2f MiB/min; peak %.0f MiB",
                plan.warmUp, atWarmUp, highest, (highest / max(atWarmUp, 1) - 1) * 100, slope, outcome.peakMemory))
        Swift.print(
            String(
                format: "without SQLite's caches: %.1f MiB at the end of warm-up, %.1f MiB highest (%+.1f%%), "
                    + "trend %+.2f MiB/min",
                restAtWarmUp, restHighest, (restHighest / max(restAtWarmUp, 1) - 1) * 100, restSlope))

        let latencies = outcome.alarms.compactMap { alarm in alarm.called["grid"].map { $0.timeIntervalSince(alarm.sentAt) } }
        Swift.print("")
        Swift.print("| latency | p50 | p90 | p99 | max | n |")
        Swift.print("| --- | --- | --- | --- | --- | --- |")
        row("alarm → grid worker's call", latencies)
        row("broker round trip (baseline)", outcome.echoes)
        let ratio = Self.percentile(latencies, 0.5) / max(Self.percentile(outcome.echoes, 0.5), 1e-6)
        Swift.print(String(format: "alarm latency over the broker's round trip, at p50: %.1f×", ratio))

        Swift.print("")
        Swift.print("| escalation lateness (call received, minus opened_at plus the ladder) | p50 | p90 | p99 | max | n |")
        Swift.print("| --- | --- | --- | --- | --- | --- |")
        for (offset, tier) in zip(plan.ladder.dropFirst(), ["community", "street", "station"]) {
            let late = outcome.alarms.compactMap { alarm -> Double? in
                guard let opened = alarm.openedAt, let called = alarm.called[tier] else { return nil }
                return called.timeIntervalSince(opened) - offset
            }
            row(tier, late)
        }
        let count = SoakRun.counter("smokegate_escalation_lateness_seconds_count", in: outcome.metrics)
        let sum = SoakRun.sum("smokegate_escalation_lateness_seconds_sum", in: outcome.metrics)
        Swift.print(
            String(
                format: "the daemon's own smokegate_escalation_lateness_seconds: %d escalations, mean %.1f ms", count,
                count > 0 ? sum / Double(count) * 1_000 : 0))
        let climbing = outcome.alarms.filter { !$0.acknowledges && $0.called["grid"] != nil }
        let acknowledgedEarly = outcome.alarms.filter { $0.acknowledged }
        let calledAfterAck = acknowledgedEarly.filter { $0.called["community"] != nil }.count
        Swift.print("")
        Swift.print(
            "\(outcome.alarms.count) alarms sent; \(latencies.count) reached their grid worker; "
                + "\(climbing.count) left to climb, \(acknowledgedEarly.count) acknowledged before the community tier "
                + "(\(calledAfterAck) of them called on regardless); \(outcome.alarms.filter(\.resolved).count) resolved; "
                + "\(outcome.consoleFailures) CLI failures")
        Swift.print(
            String(
                format: "heartbeats counted by the daemon: %d; database at the end: %.1f MiB; daemon exit status: %@",
                outcome.heartbeatsReceived, outcome.databaseSize, outcome.daemonExit.map { "\($0)" } ?? "killed"))
        Swift.print("")
        let verdicts = [
            ("memory flat after warm-up (highest within 10% of the warm-up level)", highest <= atWarmUp * 1.1),
            ("every alarm sent before the last minute reached its grid worker", unanswered().isEmpty),
            ("no acknowledged incident called on", calledAfterAck == 0),
            ("clean exit", outcome.daemonExit == 0 && outcome.consoleFailures == 0),
        ]
        for (label, ok) in verdicts { Swift.print("\(ok ? "met" : "MISSED"): \(label)") }
    }

    /// Alarms old enough to have been answered (sent over a minute before the end) that were not.
    private func unanswered() -> [SoakOutcome.Alarm] {
        guard let last = outcome.alarms.last?.sentAt else { return [] }
        return outcome.alarms.filter { $0.called["grid"] == nil && last.timeIntervalSince($0.sentAt) > 60 }
    }

    private func row(_ label: String, _ values: [Double]) {
        guard !values.isEmpty else {
            Swift.print("| \(label) | – | – | – | – | 0 |")
            return
        }
        let ms = { (value: Double) in String(format: "%.1f ms", value * 1_000) }
        Swift.print(
            "| \(label) | \(ms(Self.percentile(values, 0.5))) | \(ms(Self.percentile(values, 0.9))) | "
                + "\(ms(Self.percentile(values, 0.99))) | \(ms(values.max()!)) | \(values.count) |")
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    /// Least-squares slope of y over x.
    static func slope(_ points: [(Double, Double)]) -> Double {
        guard points.count > 1 else { return 0 }
        let n = Double(points.count)
        let mx = points.map(\.0).reduce(0, +) / n
        let my = points.map(\.1).reduce(0, +) / n
        let covariance = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let variance = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        return variance > 0 ? covariance / variance : 0
    }
}
