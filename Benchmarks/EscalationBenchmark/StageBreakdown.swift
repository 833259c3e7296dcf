import Foundation
import SmokeGateTestSupport

/// The daemon's own account of where an alarm's time goes: its
/// `smokegate_alarm_stage_seconds{stage}` histograms, scraped from `/metrics` before and after
/// a run, so that only the run's alarms count. Quantiles are read off the buckets (linear
/// within a bucket), so they are as fine as the buckets: 50–250 µs below 1 ms, then 0.5–5 ms.
struct StageBreakdown {
    /// The stages in path order, then the whole path.
    static let stages = [
        "order", "decode", "lock", "statements", "commit", "wake", "read", "publish", "puback", "total",
    ]
    /// Per stage, cumulative counts by upper bound (seconds), ascending; and the sums.
    var buckets: [String: [(le: Double, count: Double)]] = [:]
    var sums: [String: Double] = [:]

    /// The histograms as `/metrics` on `port` shows them now; nil if it does not answer.
    static func scrape(port: Int) -> StageBreakdown? {
        guard let text = HTTPProbe.get("/metrics", port: port)?.body else { return nil }
        var breakdown = StageBreakdown()
        for line in text.split(separator: "\n") where line.hasPrefix("smokegate_alarm_stage_seconds_") {
            guard let stage = Self.label("stage", in: line), let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            if line.hasPrefix("smokegate_alarm_stage_seconds_bucket"), let le = Self.label("le", in: line) {
                breakdown.buckets[stage, default: []].append((le == "+Inf" ? .infinity : Double(le) ?? .infinity, value))
            } else if line.hasPrefix("smokegate_alarm_stage_seconds_sum") {
                breakdown.sums[stage] = value
            }
        }
        for stage in breakdown.buckets.keys { breakdown.buckets[stage]?.sort { $0.le < $1.le } }
        return breakdown
    }

    /// What was added since `earlier`.
    func since(_ earlier: StageBreakdown) -> StageBreakdown {
        var delta = StageBreakdown()
        for (stage, now) in buckets {
            let before = earlier.buckets[stage] ?? []
            delta.buckets[stage] = now.map { bucket in
                (bucket.le, bucket.count - (before.first { $0.le == bucket.le }?.count ?? 0))
            }
            delta.sums[stage] = (sums[stage] ?? 0) - (earlier.sums[stage] ?? 0)
        }
        return delta
    }

    func count(_ stage: String) -> Double { buckets[stage]?.last?.count ?? 0 }

    /// The mean of `stage`, in milliseconds.
    func mean(_ stage: String) -> Double {
        count(stage) > 0 ? (sums[stage] ?? 0) / count(stage) * 1_000 : .nan
    }

    /// The `q` quantile of `stage`, in milliseconds, interpolated within its bucket.
    func quantile(_ q: Double, _ stage: String) -> Double {
        guard let cumulative = buckets[stage], let total = cumulative.last?.count, total > 0 else { return .nan }
        let rank = q * total
        var lower = (le: 0.0, count: 0.0)
        for bucket in cumulative {
            if bucket.count >= rank {
                guard bucket.le.isFinite else { return lower.le * 1_000 }
                let within = bucket.count > lower.count ? (rank - lower.count) / (bucket.count - lower.count) : 1
                return (lower.le + (bucket.le - lower.le) * within) * 1_000
            }
            lower = bucket
        }
        return lower.le * 1_000
    }

    /// The table's rows: each stage's count, p50, p99 and mean.
    var rows: [String] {
        Self.stages.map { stage in
            String(
                format: "| %@ | %.0f | %.2f | %.2f | %.2f |", stage, count(stage), quantile(0.5, stage), quantile(0.99, stage),
                mean(stage))
        }
    }

    private static func label(_ name: String, in line: Substring) -> String? {
        guard let start = line.range(of: name + "=\"") else { return nil }
        let rest = line[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
