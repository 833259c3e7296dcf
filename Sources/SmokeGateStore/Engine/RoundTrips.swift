import Synchronization

/// How many times the store's threads have waited for PostgreSQL's answers: one for each
/// statement run alone, each set of reads sent together, each collection of writes sent ahead.
/// It is the cost a burst pays per alarm beyond the server's own work, so the tests that hold
/// the ingest path to its round trips count it, and so can a benchmark. It also counts the
/// statements sent: PostgresNIO sends each after the last one's answer, so each is a turn of
/// the server even when nobody waits for it.
final class RoundTrips: Sendable {
    private let count = Atomic<Int>(0)
    private let sent = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }
    func addStatement() { sent.add(1, ordering: .relaxed) }

    var total: Int { count.load(ordering: .relaxed) }
    var statements: Int { sent.load(ordering: .relaxed) }
}
