import Foundation
import SmokeGateCore
import Synchronization

/// How each receiver is doing, for `/healthz`, `status` and `/metrics`: a receiver whose last
/// ending was a refusal for good is in trouble until it delivers again (someone must fix a
/// key, a removed robot or a signature); one that keeps failing to answer is in trouble while
/// it does.
final class ReceiverHealth: Sendable {
    struct Entry: Sendable, Equatable {
        var lastOutcome: String
        var lastAt: Date
        var lastDetail: String?
        /// Set by a refusal for good, cleared by a delivery.
        var refusedSince: Date?
        /// Attempts in a row that did not deliver.
        var failuresInARow = 0
    }

    private let entries = Mutex<[String: Entry]>([:])

    func record(receiver: String, outcome: DeliveryOutcome, at now: Date) {
        entries.withLock { entries in
            var entry = entries[receiver] ?? Entry(lastOutcome: outcome.name, lastAt: now)
            entry.lastOutcome = outcome.name
            entry.lastAt = now
            entry.lastDetail = outcome.detail
            switch outcome {
            case .delivered:
                entry.refusedSince = nil
                entry.failuresInARow = 0
            case .refused:
                entry.refusedSince = entry.refusedSince ?? now
                entry.failuresInARow += 1
            case .retryLater, .rateLimited, .unknown:
                entry.failuresInARow += 1
            }
            entries[receiver] = entry
        }
    }

    var snapshot: [String: Entry] { entries.withLock { $0 } }

    /// Receivers that refused for good, or failed three attempts in a row, with why.
    var troubled: [(receiver: String, problem: String)] {
        snapshot.sorted { $0.key < $1.key }.compactMap { name, entry in
            if entry.refusedSince != nil { return (name, "refused for good: \(entry.lastDetail ?? entry.lastOutcome)") }
            if entry.failuresInARow >= 3 {
                return (name, "\(entry.failuresInARow) attempts in a row failed: \(entry.lastDetail ?? entry.lastOutcome)")
            }
            return nil
        }
    }

    /// Receivers that refused for good and have not delivered since, with why: `/healthz`
    /// fails while any is listed.
    var refusing: [String] {
        snapshot.sorted { $0.key < $1.key }.compactMap { name, entry in
            entry.refusedSince == nil ? nil : "\(name) refused for good: \(entry.lastDetail ?? entry.lastOutcome)"
        }
    }
}
