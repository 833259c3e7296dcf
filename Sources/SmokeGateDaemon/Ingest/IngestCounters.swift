import SmokeGateCore

/// What the ingest path has seen since the daemon started. Per-format and per-reason counts
/// are arrays indexed by case, so that counting a message hashes nothing.
struct IngestCounters: Sendable, Equatable {
    var received = 0
    var rejected = 0
    var heartbeats = 0
    var storedEvents = 0
    var duplicates = 0
    /// Optional readings dropped from messages that were kept (field rule 3): each is named on
    /// its event's row; here they are counted.
    var droppedReadings = 0
    /// Retained messages, the broker's replay of a topic's last message: never events.
    var retained = 0
    /// Messages of unregistered devices beyond the number kept (`DeviceMemory.strangerLimit`):
    /// counted, not stored (their alarms are always stored).
    var strangersOverflow = 0
    /// Durable transactions of ingest, and the messages they committed: their ratio is the
    /// mean group of a group commit (`IngestPipeline+Batch.swift`).
    var durableCommits = 0
    var durablyCommittedMessages = 0
    private var formatCounts = [Int](repeating: 0, count: PayloadFormat.allCases.count)
    private var reasonCounts = [Int](repeating: 0, count: Rejection.Reason.allCases.count)

    mutating func count(_ format: PayloadFormat) {
        formatCounts[PayloadFormat.allCases.firstIndex(of: format)!] += 1
    }

    mutating func count(_ reason: Rejection.Reason) {
        reasonCounts[Rejection.Reason.allCases.firstIndex(of: reason)!] += 1
    }

    /// Messages received in `format` so far.
    func count(of format: PayloadFormat) -> Int { formatCounts[PayloadFormat.allCases.firstIndex(of: format)!] }

    /// Messages rejected for `reason` so far.
    func count(of reason: Rejection.Reason) -> Int { reasonCounts[Rejection.Reason.allCases.firstIndex(of: reason)!] }

    /// Messages by format, formats never seen left out.
    var byFormat: [PayloadFormat: Int] {
        Dictionary(uniqueKeysWithValues: zip(PayloadFormat.allCases, formatCounts).filter { $0.1 > 0 })
    }

    /// Rejections by reason, reasons never seen left out.
    var byReason: [Rejection.Reason: Int] {
        Dictionary(uniqueKeysWithValues: zip(Rejection.Reason.allCases, reasonCounts).filter { $0.1 > 0 })
    }
}
