import Foundation

/// A sample sorted once, with the order statistics every report line needs (nearest-rank
/// percentiles: a reported p99 is a value that was actually measured).
public struct Distribution: Sendable {
    public let sorted: [Double]

    public init(_ values: [Double]) {
        sorted = values.sorted()
    }

    public var count: Int { sorted.count }

    public func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    public var p50: Double { percentile(50) }
    public var p90: Double { percentile(90) }
    public var p99: Double { percentile(99) }
    public var min: Double { sorted.first ?? .nan }
    public var max: Double { sorted.last ?? .nan }

    /// `p50 … p90 … p99 … max` in milliseconds, for a report line.
    public var summary: String {
        String(format: "p50 %.1f, p90 %.1f, p99 %.1f, max %.1f ms (n = %d)", p50, p90, p99, max, count)
    }

    /// The table cells `| p50 | p90 | p99 | max |`.
    public var cells: String {
        String(format: "%.1f | %.1f | %.1f | %.1f", p50, p90, p99, max)
    }
}
