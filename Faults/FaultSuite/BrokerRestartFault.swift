import Foundation
import SmokeGateTestSupport

/// The daemon is stopped, alarms queue at the broker for its persistent session, the broker
/// restarts (its persistence file is all that carries them over), and the daemon starts:
/// every queued alarm must be handled.
struct BrokerRestartFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let rig = try await FaultRig(detectors: settings.quick ? 60 : 200)
        var ledger = AlarmLedger()
        try await rig.startDaemon()
        let stopped = await rig.stopDaemon()
        for device in rig.detectors {
            try await rig.alarm(device)
            ledger.record(device)
        }
        // Give the broker's one-second autosave time to write the queue, then restart it.
        try await Task.sleep(for: .milliseconds(1_500))
        rig.broker.stop()
        try rig.broker.start()
        try await rig.startDaemon()
        try await rig.settle(&ledger)
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .brokerRestart,
            tried: "\(ledger.sent.count) alarms queued while stopped, broker restarted",
            ledger: ledger,
            notes: ["exit statuses: \(stopped.map(String.init) ?? "-") before, \(status.map(String.init) ?? "-") after"])
        if stopped != 0 || status != 0 {
            report.failed = true
            report.notes += rig.troubleLines()
        }
        return report
    }
}
