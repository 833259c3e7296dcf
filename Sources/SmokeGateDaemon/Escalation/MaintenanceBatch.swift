/// How many maintenance messages the dispatcher puts in one batch (field rule 7). A batch is
/// confirmed as a whole, so a fire written while one is in flight waits for it: the batch is
/// kept to what the broker confirms within `target`, judged by the last batch's time per
/// message. A broker without persistence confirmed 200 calls in about 2 ms, so maintenance
/// storms still drain in full batches; one saving at every change, with a responder's session
/// away, took about 3 ms a call, and its batches shrink to a few (`OutboxBenchmark`).
struct MaintenanceBatch: Sendable, Equatable {
    /// What one batch may keep a fire waiting.
    static let target: Duration = .milliseconds(10)
    /// The most maintenance messages a batch holds: the dispatcher's whole batch.
    static let most = 200

    /// Maintenance messages the next batch may take: at least one, so maintenance always moves.
    private(set) var limit = 20

    /// The broker confirmed a batch of `count` messages in `elapsed` (a timeout included): the
    /// next takes what fits in `target` at that pace, growing at most twofold a batch so that
    /// one fast batch on a slow broker cannot open the gate wide.
    mutating func sent(_ count: Int, in elapsed: Duration) {
        guard count > 0 else { return }
        let perMessage = elapsed / count
        let fitting = perMessage > .zero ? Int(min(Double(Self.most), Self.target / perMessage)) : Self.most
        limit = max(1, min(Self.most, limit * 2, fitting))
    }
}
