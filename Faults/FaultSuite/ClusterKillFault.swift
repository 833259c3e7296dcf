import Foundation
import SmokeGateCore
import SmokeGateTestSupport

/// Two gateways on one PostgreSQL database while alarms trickle in at QoS 1 from many
/// detectors and heartbeats at QoS 0: whichever node holds the lease is SIGKILLed, again and
/// again, and started again 0.5–3 s later (it comes back as a standby). Every alarm must end
/// up stored once, in exactly one incident, with every tier called once by whichever node led
/// at the time; the notes give each failover (kill → the next call on the broker).
struct ClusterKillFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let kills = settings.quick ? 6 : settings.kills
        let rig = try await ClusterRig(detectors: settings.quick ? 400 : 900)
        var random = SplitMix64(seed: settings.seed)
        var ledger = AlarmLedger()
        try await rig.startBoth()
        let heartbeats = rig.fleet.heartbeats(perSecond: 200)
        let trickle = Trickle()
        let alarms = rig.fleet.trickle(gap: .milliseconds(100), trickle)
        var killed: [String] = []
        var killedAt: [Date] = []
        var takenBy: [String] = []
        var epoch: Int64 = 0
        for _ in 0..<kills {
            guard let leader = await rig.newLeader(after: epoch, timeout: 30) else {
                throw TestSupportError(
                    "no node took the lease after epoch \(epoch):\n\(rig.troubleLines().joined(separator: "\n"))")
            }
            epoch = leader.epoch
            // It leads for 0.5–2 s, so the kill lands before, during and after commits and calls.
            try await Task.sleep(for: .milliseconds(500 + Int(random.next() % 1_500)))
            guard let at = await rig.kill(leader.node) else { throw TestSupportError("\(leader.node) was not running") }
            killedAt.append(at)
            let down = 0.5 + Double(random.next() % 2_500) / 1_000
            killed.append(String(format: "%@ %.1f s", leader.node, down))
            try await Task.sleep(for: .seconds(max(0, at.addingTimeInterval(down).timeIntervalSinceNow)))
            try await rig.start(leader.node, waitUntilConnected: false)
            guard try await rig.waitUntilConnected(leader.node, timeout: 30) else {
                throw TestSupportError("\(leader.node) did not connect again:\n\(rig.troubleLines().joined(separator: "\n"))")
            }
            if let now = await rig.newLeader(after: epoch, timeout: 30) {
                takenBy.append(now.node == leader.node ? "the restarted node" : "the other node")
            }
        }
        trickle.stop()
        for device in try await alarms.value { ledger.record(device) }
        try await rig.settle(&ledger)
        heartbeats.cancel()
        let beats = await heartbeats.value
        let statuses = await rig.stopBoth()
        let failovers = Self.failovers(killedAt: killedAt, calls: rig.calls.map(\.arrivedAt))
        let sorted = failovers.sorted()
        var notes = [
            "killed (node, down for): \(killed.joined(separator: ", "))",
            "the lease after each kill went to: \(takenBy.joined(separator: ", "))",
            "failover, kill → next call on the broker (s): "
                + failovers.map { String(format: "%.2f", $0) }.joined(separator: ", "),
            sorted.isEmpty
                ? "no call followed a kill"
                : String(
                    format: "failover median %.2f s, max %.2f s (lease %.0f s)", sorted[sorted.count / 2], sorted.last!, rig.lease
                ),
            "\(beats) heartbeats at QoS 0 meanwhile; final SIGTERM exit statuses: "
                + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.map(String.init) ?? "killed")" }.joined(
                    separator: ", "),
        ]
        var report = FaultReport(
            fault: .clusterKill, tried: "\(kills) SIGKILLs of the leader of two nodes, each back after 0.5–3 s", ledger: ledger,
            notes: [])
        if statuses.values.contains(where: { $0 != 0 }) {
            report.failed = true
            notes += rig.troubleLines()
        }
        report.notes = notes
        return report
    }

    /// For each kill, the seconds to the first call that arrived after it. A call the killed
    /// leader had already sent can still be on its way for a moment: calls within 50 ms of the
    /// kill are not counted as the next one.
    static func failovers(killedAt: [Date], calls: [Date]) -> [TimeInterval] {
        killedAt.compactMap { kill in
            calls.filter { $0 > kill.addingTimeInterval(0.05) }.min().map { $0.timeIntervalSince(kill) }
        }
    }
}
