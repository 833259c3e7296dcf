import Foundation
import SmokeGateTestSupport

/// The broker goes away for a minute (ten seconds in the quick form). The daemon must keep
/// the watchdog beating (a restart would not bring the broker back), answer 503 on /healthz
/// meanwhile, reconnect when the broker returns, resume its session, and handle the alarms
/// sent on either side of the outage.
struct BrokerOutageFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let port = try FreePort.find()
        let rig = try await FaultRig(detectors: settings.quick ? 40 : 100, http: port)
        var ledger = AlarmLedger()
        let notify = try NotifySocket()
        try await rig.startDaemon(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"])
        let half = rig.detectors.count / 2
        for device in rig.detectors.prefix(half) {
            try await rig.alarm(device)
            ledger.record(device)
        }
        let outage: TimeInterval = settings.quick ? 10 : 60
        // Read the notify socket all along, as systemd does: a datagram socket nobody reads
        // fills after a few messages, and then the sender blocks.
        let pings = PingLog()
        let reader = Thread {
            while !pings.finished { pings.add(notify.receiveBlocking(for: 0.2).filter { $0.text.contains("WATCHDOG=1") }.count) }
        }
        reader.start()
        defer { pings.finish() }
        try await Task.sleep(for: .milliseconds(500))
        rig.broker.stop()
        let pingsBefore = pings.count
        var probes = 0
        var unhealthy = 0
        let start = Date()
        while Date().timeIntervalSince(start) < outage {
            probes += 1
            if HTTPProbe.get("/healthz", port: port, timeout: 2)?.status == 503 { unhealthy += 1 }
            try await Task.sleep(for: .seconds(1))
        }
        let elapsed = Date().timeIntervalSince(start)
        let outagePings = pings.count - pingsBefore
        try rig.broker.start()
        let back = Date()
        for device in rig.detectors.dropFirst(half) {
            try await rig.alarm(device)
            ledger.record(device)
        }
        let reconnected = try await eventually(timeout: 60) { try rig.connected() }
        let reconnectedAfter = Date().timeIntervalSince(back)
        try await rig.settle(&ledger)
        let healthyAgain = HTTPProbe.get("/healthz", port: port)?.status == 200
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .brokerOutage, tried: String(format: "broker gone %.0f s, alarms before and after", outage), ledger: ledger,
            notes: [
                String(format: "watchdog pings during the outage: %d in %.0f s (one a second expected)", outagePings, elapsed),
                "/healthz during the outage: 503 on \(unhealthy) of \(probes) probes; 200 afterwards: \(healthyAgain)",
                String(
                    format: "subscribed again %.1f s after the broker returned (while %d alarms were sent)", reconnectedAfter,
                    rig.detectors.count - half),
            ])
        if Double(outagePings) < elapsed * 0.8 || unhealthy < probes - 1 || !healthyAgain || !reconnected || status != 0 {
            report.failed = true
            report.notes.append("exit status \(status.map(String.init) ?? "-")")
            report.notes += rig.troubleLines()
        }
        return report
    }
}
