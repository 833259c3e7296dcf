import Foundation
import SmokeGateCore

/// Measurement 3: what supervising a million detectors costs, with the heap the daemon uses
/// (`OfflineWatch`) against the obvious alternative measured in the same run: scanning every
/// detector's last-heard time once a second.
///
/// Every detector reports once per `offline_after` window and is never unheard, so each
/// second 1/`offlineAfter` of the fleet falls due and is re-armed: the heap's steady state.
/// The heap's cost follows the detectors due; the scan's, the size of the fleet.
struct SupervisionCost {
    let detectors: Int
    let offlineAfter: TimeInterval
    let seconds = 60

    struct Result {
        var watchAll: Duration
        var heapPerSecond: Duration
        var scanPerSecond: Duration
        var duePerSecond: Int
        /// Detectors the scan found past their window (none: it proves the scan ran).
        var scanFound: Int
    }

    func run() -> Result {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let ids = (0..<detectors).map { String(format: "D-%07d", $0) }
        // Detector i was last heard at a time spread evenly over the last window.
        var lastHeard: [String: Date] = [:]
        lastHeard.reserveCapacity(detectors)
        for (index, id) in ids.enumerated() {
            lastHeard[id] = start.addingTimeInterval(-offlineAfter * Double(index) / Double(detectors))
        }
        let clock = ContinuousClock()
        var watch = OfflineWatch()
        let watchAll = clock.measure {
            for id in ids { watch.watch(id, until: lastHeard[id]!.addingTimeInterval(offlineAfter)) }
        }
        var due = 0
        var unheard = 0
        let heap = clock.measure {
            for second in 1...seconds {
                let now = start.addingTimeInterval(Double(second))
                // The detectors due now reported a moment ago: heard, not offline.
                unheard +=
                    watch.sweep(at: now) { id in
                        due += 1
                        lastHeard[id] = now
                        return now.addingTimeInterval(offlineAfter)
                    }.count
            }
        }
        precondition(unheard == 0, "no detector in this fleet is unheard")
        var scanned = 0
        let scan = clock.measure {
            for second in 1...seconds {
                let cutoff = start.addingTimeInterval(Double(second) - offlineAfter)
                for (_, heard) in lastHeard where heard < cutoff { scanned += 1 }
            }
        }
        return Result(
            watchAll: watchAll, heapPerSecond: heap / seconds, scanPerSecond: scan / seconds, duePerSecond: due / seconds,
            scanFound: scanned)
    }
}
