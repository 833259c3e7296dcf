/// Nearest-rank percentiles of a sample (a reported p99 was actually measured), in ms.
struct Distribution {
    let sorted: [Double]

    init(_ values: [Double]) { sorted = values.sorted() }

    func percentile(_ p: Double) -> Double {
        sorted.isEmpty
            ? .nan : sorted[Swift.min(Swift.max(Int((p / 100 * Double(sorted.count)).rounded(.up)), 1), sorted.count) - 1]
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var max: Double { sorted.last ?? .nan }
}
