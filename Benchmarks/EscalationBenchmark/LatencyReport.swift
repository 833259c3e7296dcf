import Foundation
import SmokeGateTestSupport

/// Prints what measurement 1 found and returns its rows of the summary table. Kept apart from
/// the measurement so that the figures are computed from the samples in one place only.
struct LatencyReport {
    let result: AlarmLatency.Result
    /// The figure the gateway promises: p99 of alarm → grid call.
    static let targetMilliseconds = 50.0

    func print() -> [String] {
        let latency = Distribution(result.latency)
        let baseline = Distribution(result.baseline)
        let fsync = Distribution(result.fsync)
        let toReceipt = Distribution(result.toReceipt)
        let afterReceipt = Distribution(result.afterReceipt)
        let met = result.missingCalls.isEmpty && latency.p99 <= Self.targetMilliseconds
        Swift.print(
            String(
                format: "   heartbeats over %.1f s: %.0f/s published, %.0f/s confirmed by the broker, "
                    + "%.0f/s accounted for by the gateway (%d slots skipped by a late publisher)",
                result.seconds, result.heartbeatsPublished, result.heartbeatsConfirmed, result.heartbeatsTaken,
                result.heartbeatsSkipped))
        Swift.print("   alarm → grid call received:          \(latency.summary)")
        Swift.print("   baseline, plain message round trip:  \(baseline.summary)")
        let stream = Distribution(result.streamDelivery)
        if !result.streamDelivery.isEmpty {
            Swift.print("   alarm → a second subscriber of the whole stream: \(stream.summary)")
        }
        Swift.print("   the disk: a 512-byte write + fsync:  \(fsync.summary)")
        Swift.print(
            String(
                format: "   the gateway's share: p50 +%.1f ms, p90 +%.1f ms, p99 +%.1f ms (ratio p50 %.1f×, p99 %.1f×)",
                latency.p50 - baseline.p50, latency.p90 - baseline.p90, latency.p99 - baseline.p99, latency.p50 / baseline.p50,
                latency.p99 / baseline.p99))
        Swift.print("   split by the call's `at` (wall clock, whole ms):")
        Swift.print("     alarm published → gateway received it:  \(toReceipt.summary)")
        Swift.print("     gateway received it → call received:    \(afterReceipt.summary)")
        let slowest = result.slowest.map {
            String(format: "%@ %.1f ms (%.0f + %.0f)", $0.device, $0.total, $0.toReceipt, $0.afterReceipt)
        }
        Swift.print("   slowest (total, to receipt + after): \(slowest.joined(separator: "; "))")
        if !result.missingCalls.isEmpty {
            let first = result.missingCalls.prefix(10).joined(separator: ", ")
            Swift.print("   NO grid call within the timeout for \(result.missingCalls.count) alarm(s): \(first)")
        }
        if result.missingBaseline > 0 { Swift.print("   \(result.missingBaseline) baseline message(s) never arrived") }
        Swift.print(String(format: "   target p99 ≤ %.0f ms: %@", Self.targetMilliseconds, met ? "met" : "NOT met"))
        if let stages = result.stages {
            Swift.print("   the daemon's own stage timings of these alarms (smokegate_alarm_stage_seconds, ms):")
            Swift.print("   | stage | alarms | p50 | p99 | mean |")
            Swift.print("   | --- | ---: | ---: | ---: | ---: |")
            for row in stages.rows { Swift.print("   " + row) }
        }
        let nearBroker = latency.p99 <= baseline.p99 + 1
        Swift.print(
            String(
                format: "   target p99 ≤ the broker's p99 + 1 ms (%.1f ms): %@", baseline.p99 + 1, nearBroker ? "met" : "NOT met")
        )
        // The floor: an alarm is stored (one fsync at least) before its call leaves.
        Swift.print(
            String(
                format:
                    "   the floor, the broker's round trip + one fsync: p50 %.1f, p99 %.1f ms (the fsync's p99 is %.0f%% of the target's 1 ms)",
                baseline.p50 + fsync.p50, baseline.p99 + fsync.p99, fsync.p99 * 100))
        if let largest = result.walLargest {
            Swift.print(
                String(
                    format: "   SQLite's write-ahead log: at most %.1f MB while the alarms were timed, %.1f MB after the burst",
                    Double(largest) / 1_000_000, Double(result.walAfterBurst ?? largest) / 1_000_000))
        }
        let store = result.burst == nil ? "" : " (\(result.store.title))"
        var rows = [
            "| alarm → grid call\(store), under \(Int(result.heartbeatsTaken.rounded())) heartbeats/s | \(latency.count) | "
                + "\(latency.cells) | p99 ≤ \(Int(Self.targetMilliseconds)): \(met ? "met" : "NOT met"); "
                + "≤ broker p99 + 1: \(nearBroker ? "met" : "NOT met") |",
            "| baseline: plain message round trip, same load | \(baseline.count) | \(baseline.cells) | |",
            "| the disk: a 512-byte write + fsync, same load | \(fsync.count) | \(fsync.cells) | |",
            "| … alarm published → gateway received it | \(toReceipt.count) | \(toReceipt.cells) | |",
            "| … gateway received it → grid call received | \(afterReceipt.count) | \(afterReceipt.cells) | |",
        ]
        if !result.streamDelivery.isEmpty {
            rows.insert("| alarm → a second subscriber of the whole stream | \(stream.count) | \(stream.cells) | |", at: 2)
        }
        if let burst = result.burst { rows += burstRows(burst, store: result.store) }
        return rows
    }

    /// The burst's lines and rows: its rate, its last call, each alarm's delay to its call.
    private func burstRows(_ burst: BurstResult, store: BenchStore) -> [String] {
        let withinTen = burst.calls == burst.alarms && burst.delays.max <= 10_000
        Swift.print(
            String(
                format:
                    "   burst of %d alarms (%@): handed over in %.1f s; %d grid calls, the last %.1f s after the first alarm: "
                    + "%.0f incidents called per second",
                burst.alarms, store.title, burst.publishSeconds, burst.calls, burst.lastCallSeconds, burst.perSecond))
        Swift.print("   each alarm → its grid call: \(burst.delays.summary)")
        if let groups = burst.groups {
            Swift.print(
                String(
                    format: "   ingest: %.0f messages in %.0f transactions (%.1f per transaction)", groups.messages,
                    groups.commits, groups.meanGroup))
        }
        if let stored = burst.storedSeconds {
            Swift.print(
                String(
                    format:
                        "   stored: every alarm committed %.1f s after the first was published (the rest of the last call's delay is the dispatcher's)",
                    stored))
        }
        Swift.print("   target: every grid call within 10 s of its alarm (≥ 1,000 incidents/s): \(withinTen ? "met" : "NOT met")")
        return [
            String(
                format: "| burst of %d alarms (%@): alarm → its grid call; %.0f incidents/s, last call after %.1f s | %d | %@ | "
                    + "all within 10 s: %@ |",
                burst.alarms, store.title, burst.perSecond, burst.lastCallSeconds, burst.calls, burst.delays.cells,
                withinTen ? "met" : "NOT met")
        ]
    }
}
