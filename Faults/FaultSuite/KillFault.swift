import Foundation
import SmokeGateCore
import SmokeGateTestSupport

/// SIGKILL at random moments (while starting, while subscribed, mid-commit) while alarms
/// arrive at QoS 1 and heartbeats at QoS 0: every alarm must end up in exactly one incident,
/// and every tier of it called once, whatever the moment of each kill.
struct KillFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let rig = try await FaultRig(detectors: settings.quick ? 120 : 300)
        var random = SplitMix64(seed: settings.seed)
        var ledger = AlarmLedger()
        // The first start makes the daemon's persistent session at the broker; from then on
        // the broker queues for it whenever it is down, as in production.
        try await rig.startDaemon()
        await rig.stopDaemon(signal: SIGKILL)
        let heartbeats = rig.heartbeats(perSecond: 400)
        // Alarms trickle in for the whole run, so kills land before, during and after commits.
        let devices = rig.detectors
        let alarms = Task {
            var sent: [String] = []
            for device in devices {
                try await rig.alarm(device)
                sent.append(device)
                try await Task.sleep(for: .milliseconds(40))
            }
            return sent
        }
        var moments: [String] = []
        for _ in 0..<settings.kills {
            try await rig.startDaemon(waitUntilConnected: false)
            // Between 0.1 and 2 s after exec: sometimes before it has even subscribed.
            let delay = 0.1 + Double(random.next() % 1_900) / 1_000
            try await Task.sleep(for: .seconds(delay))
            await rig.stopDaemon(signal: SIGKILL)
            moments.append(String(format: "%.2f", delay))
        }
        for device in try await alarms.value { ledger.record(device) }
        try await rig.startDaemon()
        try await rig.settle(&ledger)
        heartbeats.cancel()
        let beats = await heartbeats.value
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .kill, tried: "\(settings.kills) SIGKILLs, 0.1–2 s after each start", ledger: ledger,
            notes: [
                "killed at (s after start): \(moments.joined(separator: ", "))",
                "\(beats) heartbeats at QoS 0 meanwhile; final SIGTERM exit status \(status.map(String.init) ?? "killed")",
            ])
        if status != 0 {
            report.failed = true
            report.notes += rig.troubleLines()
        }
        return report
    }
}
