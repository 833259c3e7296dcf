import Foundation
import SmokeGateTestSupport

/// Zigbee2MQTT publishes at QoS 0 unless each device is set to `qos: 1`. The daemon is
/// stopped (SIGTERM), Zigbee2MQTT detectors report smoke at QoS 0 meanwhile, and the daemon
/// starts again: with the shipped `queue_qos0_messages true` the broker kept them for the
/// gateway's session, so each must open its fire and call its grid, and the ladder go on.
struct ZigbeeQoS0RestartFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let rig = try await FaultRig(detectors: settings.quick ? 30 : 100)
        var ledger = AlarmLedger()
        try await rig.startDaemon()
        let stopped = await rig.stopDaemon()
        for device in rig.detectors {
            try await rig.publisher.publish(
                "zigbee2mqtt/\(device)", #"{"smoke":true,"battery":92,"battery_low":false,"tamper":false,"linkquality":120}"#,
                qos: 0)
            ledger.record(device)
        }
        try await Task.sleep(for: .milliseconds(500))
        let restarted = Date()
        try await rig.startDaemon()
        let grids = await eventually(timeout: 30) {
            rig.responders.received.filter { $0.field("action") == "notify" && $0.field("tier") == "grid" }.count
                >= rig.detectors.count
        }
        let gridsAfter = Date().timeIntervalSince(restarted)
        try await rig.settle(&ledger)
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .zigbeeQoS0Restart,
            tried: "\(ledger.sent.count) Zigbee2MQTT alarms at QoS 0 while stopped (SIGTERM), then started",
            ledger: ledger,
            notes: [
                String(format: "every grid called %.1f s after the start", gridsAfter),
                "exit statuses: \(stopped.map(String.init) ?? "-") before, \(status.map(String.init) ?? "-") after",
            ])
        if !grids || stopped != 0 || status != 0 {
            report.failed = true
            report.notes += rig.troubleLines()
        }
        return report
    }
}
