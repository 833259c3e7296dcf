import Foundation
import SmokeGateCore
import SmokeGateTestSupport

/// The PostgreSQL server two gateways share crashes (`pg_ctl stop -m immediate`: no
/// checkpoint, recovery at the next start) and comes back, twice, during a stream of QoS 1
/// alarms. While it is down the nodes store nothing and acknowledge nothing to the broker,
/// which keeps the alarms for their sessions; once it is back, every alarm must be stored once
/// and every tier of its incident called once.
struct DatabaseCrashFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let rig = try await ClusterRig(detectors: settings.quick ? 500 : 1_000)
        var ledger = AlarmLedger()
        try await rig.startBoth()
        let down: TimeInterval = settings.quick ? 3 : 10
        let trickle = Trickle()
        let alarms = rig.fleet.trickle(gap: .milliseconds(50), trickle)
        var notes: [String] = []
        var problems: [String] = []
        for crash in 1...2 {
            try await Task.sleep(for: .seconds(2))
            let before = try? rig.store().leaseHolder()
            let sentBefore = trickle.sent
            try await rig.offPool { rig.postgres.stop(immediately: true) }
            try await Task.sleep(for: .seconds(down))
            let sentWhileDown = trickle.sent - sentBefore
            let restarting = Date()
            try await rig.offPool { try rig.postgres.start() }
            let recovered = Date().timeIntervalSince(restarting)
            // Everything the broker had acknowledged by the restart, stored: how long after it.
            let owed = trickle.sent
            let caughtUp = await eventually(timeout: 60) { ((try? rig.store().events(kind: .alarm).count) ?? 0) >= owed }
            let catchUp = Date().timeIntervalSince(restarting)
            let leader = await rig.newLeader(after: 0, timeout: 30)
            let exited = ClusterRig.names.filter { rig.process($0)?.child.isRunning != true }
            notes.append(
                String(
                    format: "crash %d: down %.0f s (%d alarms sent meanwhile), recovery %.1f s, all %d sent so far stored %@; "
                        + "lease %@ (epoch %@) before, %@ (epoch %@) after%@",
                    crash, down, sentWhileDown, recovered, owed,
                    caughtUp ? String(format: "%.1f s after the restart", catchUp) : "NOT within 60 s",
                    before?.node ?? "-", before?.epoch.description ?? "-", leader?.node ?? "nobody",
                    leader?.epoch.description ?? "-", exited.isEmpty ? "" : "; exited: \(exited.joined(separator: ", "))"))
            if !exited.isEmpty { problems.append("node(s) \(exited.joined(separator: ", ")) exited on crash \(crash)") }
        }
        try await Task.sleep(for: .seconds(2))
        trickle.stop()
        for device in try await alarms.value { ledger.record(device) }
        try await rig.settle(&ledger)
        let statuses = await rig.stopBoth()
        notes.append(
            "final SIGTERM exit statuses: "
                + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.map(String.init) ?? "killed")" }.joined(
                    separator: ", "))
        var report = FaultReport(
            fault: .databaseCrash, tried: String(format: "PostgreSQL crashed twice (immediate stop), down %.0f s each", down),
            ledger: ledger, notes: notes)
        if statuses.values.contains(where: { $0 != 0 }) || !problems.isEmpty {
            report.failed = true
            report.notes += problems + rig.troubleLines()
        }
        return report
    }
}
