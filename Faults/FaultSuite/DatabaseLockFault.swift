import Foundation
import SmokeGateTestSupport

/// Another process (here: this one, through its own SQLite connection) takes the database's
/// write lock and sits on it while alarms arrive. The daemon must drop nothing, hold back
/// the broker's acknowledgements, and catch up once the lock is gone. The full form holds
/// the lock past the daemon's 10-second busy timeout, so the retry path runs too.
struct DatabaseLockFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let rig = try await FaultRig(detectors: settings.quick ? 40 : 100)
        var ledger = AlarmLedger()
        try await rig.startDaemon()
        let hold: TimeInterval = settings.quick ? 5 : 15
        let locked = rig.holdWriteLock(for: hold)
        try await Task.sleep(for: .milliseconds(200))
        let storedBefore = try rig.store()?.events(kind: .alarm).count ?? 0
        for device in rig.detectors {
            try await rig.alarm(device)
            ledger.record(device)
        }
        let storedDuringLock = try rig.store()?.events(kind: .alarm).count ?? 0
        try await locked.value
        let released = Date()
        _ = try await eventually(timeout: 60) { try rig.store()?.events(kind: .alarm).count == ledger.sent.count }
        let caughtUp = Date().timeIntervalSince(released)
        try await rig.settle(&ledger)
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .databaseLock, tried: String(format: "write lock held %.0f s by another connection", hold), ledger: ledger,
            notes: [
                "alarms stored while locked: \(storedDuringLock - storedBefore) of \(ledger.sent.count) (the broker held the rest)",
                String(format: "caught up %.1f s after the lock was released", caughtUp),
            ])
        if status != 0 || storedDuringLock != storedBefore {
            report.failed = true
            report.notes.append("exit status \(status.map(String.init) ?? "-"); stored while locked: \(storedDuringLock)")
            report.notes += rig.troubleLines()
        }
        return report
    }
}
