import Foundation
import SmokeGateTestSupport

/// Prints measurement 4 and returns its table rows: messages per grid against detectors
/// silenced, the fire's grid call during the storm against before it, and the database growth.
struct StormReport {
    let result: OfflineStorm.Result
    let storm: OfflineStorm

    func print() -> [String] {
        let before = Distribution(result.before)
        let during = Distribution(result.during)
        let baseline = Distribution(result.baseline)
        let counts = result.messagesPerGrid.values.map(\.count)
        let total = counts.reduce(0, +)
        let most = counts.max() ?? 0
        Swift.print(
            String(
                format: "   heartbeats: %.0f/s from %d detectors; %d silenced in %d grids",
                result.heartbeatsPerSecond, storm.detectors, result.silenced, storm.offlineGrids))
        Swift.print(
            "   grid messages about the storm: \(total) in all to \(result.messagesPerGrid.count) grids, at most \(most) per grid "
                + "(\(result.offlineIncidents) offline incidents on record); all back and told: \(result.allBack)")
        if let sample = result.messagesPerGrid.sorted(by: { $0.key < $1.key }).first {
            Swift.print("   e.g. \(sample.key): \(sample.value.joined(separator: ", "))")
        }
        Swift.print("   fire → grid call before the storm: \(before.summary)")
        Swift.print("   fire → grid call during the storm: \(during.summary)")
        Swift.print("   broker round trip, same run:       \(baseline.summary)")
        Swift.print(
            String(
                format: "   ratio during/before: p50 %.2f×, p99 %.2f×; missing calls %d",
                during.p50 / before.p50, during.p99 / before.p99, result.missingCalls))
        let growth = Double(result.databaseAfter - result.databaseBefore) / 1_048_576
        Swift.print(
            String(
                format: "   database: %.1f MiB before, %.1f MiB after (+%.1f MiB); %d outbox rows written in all",
                Double(result.databaseBefore) / 1_048_576, Double(result.databaseAfter) / 1_048_576, growth, result.outboxRows))
        return [
            "| storm: grid messages per offline grid (\(result.silenced) detectors in \(storm.offlineGrids) grids) | \(result.messagesPerGrid.count) | | | | \(most) | a few |",
            "| storm: fire → grid call before | \(before.count) | \(String(format: "%.1f", before.p50)) | \(String(format: "%.1f", before.p90)) | \(String(format: "%.1f", before.p99)) | \(String(format: "%.1f", before.max)) | |",
            "| storm: fire → grid call during | \(during.count) | \(String(format: "%.1f", during.p50)) | \(String(format: "%.1f", during.p90)) | \(String(format: "%.1f", during.p99)) | \(String(format: "%.1f", during.max)) | ≤ 1.5× before, p99 < 50 |",
            "| storm: broker round trip | \(baseline.count) | \(String(format: "%.1f", baseline.p50)) | \(String(format: "%.1f", baseline.p90)) | \(String(format: "%.1f", baseline.p99)) | \(String(format: "%.1f", baseline.max)) | |",
        ]
    }

    /// Whether the run met its targets (a noisy machine may miss the latency one; the count
    /// and completeness are firm).
    var complete: Bool {
        result.missingCalls == 0 && result.allBack && (result.messagesPerGrid.values.map(\.count).max() ?? 0) <= 5
    }
}
