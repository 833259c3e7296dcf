import Foundation
import SmokeGateCore
import Testing

/// Supervision's ordered deadlines: only detectors due are looked at, heard ones re-armed.
@Suite struct OfflineWatchTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func onlyDetectorsPastTheirDeadlineAndNotHeardSinceAreOffline() {
        var watch = OfflineWatch()
        var lastHeard: [String: Date] = [:]
        for index in 0..<10_000 {
            let id = "det-\(index)"
            lastHeard[id] = t0
            watch.watch(id, until: t0.addingTimeInterval(300 + Double(index % 100)))
        }
        // det-5 and det-105 (both due at 305 s) are heard at 200 s; the rest stay quiet.
        lastHeard["det-5"] = t0.addingTimeInterval(200)
        lastHeard["det-105"] = t0.addingTimeInterval(200)
        var looked: [String] = []
        let unheard = watch.sweep(at: t0.addingTimeInterval(310)) { id in
            looked.append(id)
            return lastHeard[id]!.addingTimeInterval(300)
        }
        // Deadlines 300...310 s: index % 100 in 0...10, 100 detectors each: 1,100 due.
        #expect(looked.count == 1_100, "only the due entries are looked at")
        #expect(unheard.count == 1_098 && !unheard.contains("det-5") && !unheard.contains("det-105"))
        #expect(watch.count == 10_000 - 1_098, "heard detectors are watched again")
        #expect(watch.nextDeadline == t0.addingTimeInterval(311))
    }

    @Test func detectorsNoLongerWatchedAreDroppedAndLimitsAreKept() {
        var watch = OfflineWatch()
        for index in 0..<10 { watch.watch("det-\(index)", until: t0.addingTimeInterval(Double(index))) }
        let first = watch.sweep(at: t0.addingTimeInterval(100), limit: 3) { _ in t0 }
        #expect(first == ["det-0", "det-1", "det-2"], "earliest first, at most the limit")
        let rest = watch.sweep(at: t0.addingTimeInterval(100)) { $0 == "det-3" ? nil : t0 }
        #expect(rest.count == 6 && !rest.contains("det-3") && watch.count == 0)
    }
}
