import Foundation
import SmokeGateTestSupport

/// Field rule 6 under the gateway's own stall: every detector keeps reporting while another
/// process holds the database's write lock for several times `offline_after`, and alarms
/// arrive meanwhile (so ingest waits on the lock and heartbeats queue unread behind it). The
/// gateway cannot hear while it cannot write: nobody may be declared offline, nobody paged
/// about it, and every alarm still stored and called.
struct DatabaseStallFault {
    let settings: FaultSettings

    static let offlineAfter = 3

    func run() async throws -> FaultReport {
        let rig = try await FaultRig(
            detectors: settings.quick ? 40 : 100,
            supervision:
                "{ default: { heartbeat: 1s, offline_after: \(Self.offlineAfter)s }, nbiot: { heartbeat: 24h, offline_after: 25h } }"
        )
        var ledger = AlarmLedger()
        try await rig.startDaemon()
        // Every detector reports about twice a second, throughout.
        let heartbeats = rig.heartbeats(perSecond: rig.detectors.count * 2)
        defer { heartbeats.cancel() }
        try await Task.sleep(for: .seconds(2))
        let hold: TimeInterval = settings.quick ? 8 : 20
        let locked = rig.holdWriteLock(for: hold)
        try await Task.sleep(for: .milliseconds(300))
        for device in rig.detectors.prefix(10) {
            try await rig.alarm(device)
            ledger.record(device)
        }
        try await locked.value
        // Past offline_after again after the release: a page would have come by now.
        try await Task.sleep(for: .seconds(Double(Self.offlineAfter) * 2 + 2))
        try await rig.settle(&ledger)
        heartbeats.cancel()
        let offlineIncidents = try rig.store()?.incidents(includeResolved: true, kind: .offline).count ?? -1
        let offlineCalls = rig.responders.received.filter { $0.field("kind") == "offline" }.count
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .databaseStall,
            tried: String(
                format: "write lock held %.0f s, %.1f× offline_after, every detector reporting", hold,
                hold / Double(Self.offlineAfter)),
            ledger: ledger,
            notes: ["offline incidents opened: \(offlineIncidents), offline calls received: \(offlineCalls) (both must be 0)"])
        if status != 0 || offlineIncidents != 0 || offlineCalls != 0 {
            report.failed = true
            report.notes.append("exit status \(status.map(String.init) ?? "-")")
            report.notes += rig.troubleLines()
        }
        return report
    }
}
