import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// Field rule 5 on the real `smokegated`: its wall clock is stepped 16 minutes forward a
/// second after a batch of fires opened, and an hour back a second after a second batch, by
/// an LD_PRELOAD shim (`ClockShim`). Each tier must be called once, near its offset from its
/// alarm as the suite's own (unstepped) clock measures it; nobody may be declared offline (the
/// detectors have five minutes); `smokegate status`, under the same shim, must say the daemon
/// runs while it does, and not once it has been killed and the clock has gone back again.
struct ClockStepFault {
    let settings: FaultSettings

    /// How far after its due time a call may arrive on a loaded machine.
    static let slack: TimeInterval = 1.5
    static let due: [String: TimeInterval] = ["grid": 0, "community": 2, "street": 4, "station": 6]

    func run() async throws -> FaultReport {
        let shim = try await ClockShim.build()
        let rig = try await FaultRig(detectors: settings.quick ? 40 : 100)
        var ledger = AlarmLedger()
        var notes: [String] = []
        var failed = false
        try await rig.startDaemon(environment: shim.environment)
        let half = rig.detectors.count / 2
        // The second batch is heard first; the first batch never is. Neither may go offline.
        for device in rig.detectors.dropFirst(half) {
            try await rig.publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"heartbeat","battery":90}"#)
        }
        var alarmedAt: [String: Date] = [:]
        var offset: TimeInterval = 0
        for (batch, step) in [(rig.detectors.prefix(half), 960.0), (rig.detectors.dropFirst(half), -3_600.0)] {
            let started = Date()
            for device in batch {
                alarmedAt[device] = Date()
                try await rig.alarm(device)
                ledger.record(device)
            }
            try await Task.sleep(for: .seconds(max(0, 1 - Date().timeIntervalSince(started))))
            offset += step
            try shim.step(to: offset)
            let expected = batch.count * 4
            _ = await eventually(timeout: 30) {
                rig.responders.received.filter { $0.field("action") == "notify" && batch.contains($0.field("device") ?? "") }
                    .count >= expected
            }
            let status = try await smokegateStatus(rig, shim)
            let stepped = try rig.store()?.readStatus()?.updatedAt.timeIntervalSinceNow ?? 0
            notes.append(
                String(
                    format: "stepped %@: status running %@, connected %@; the daemon's clock reads %+.0f s from the real one",
                    "\(step > 0 ? "+" : "")\(Int(step)) s", "\(status.running)", "\(status.connected)", stepped))
            if !status.running || !status.connected || abs(stepped - offset) > 5 { failed = true }
        }
        try await rig.settle(&ledger)

        let lateness = timing(rig.responders.received, alarmedAt: alarmedAt)
        notes.append(lateness.summary)
        if lateness.outside > 0 { failed = true }
        let store = try rig.store()
        let offline = try store?.incidents(includeResolved: true).filter { $0.kind == .offline }.count ?? -1
        let unheard = try store?.devicesOffline().count ?? -1
        notes.append("offline incidents: \(offline); detectors offline: \(unheard)")
        if offline != 0 || unheard != 0 { failed = true }
        let log = rig.daemon?.standardError ?? ""
        let logged = ["wall clock stepped by +16m0s", "wall clock stepped by -1h0m0s"].filter { log.contains($0) }
        notes.append("the daemon logged: \(logged.map { "\"\($0)\"" }.joined(separator: ", "))")
        if logged.count != 2 { failed = true }

        // Killed, then the clock goes back another hour: the status row now lies an hour in the
        // future, and the daemon must not look alive.
        await rig.stopDaemon(signal: SIGKILL)
        offset -= 3_600
        try shim.step(to: offset)
        try await Task.sleep(for: .seconds(6))
        let dead = try await smokegateStatus(rig, shim)
        notes.append("SIGKILLed, clock back another hour, 6 s later: status running \(dead.running)")
        if dead.running || dead.connected { failed = true }

        var report = FaultReport(
            fault: .clockStep, tried: "wall clock +16 min, then −1 h, 1 s into \(half) fires each", ledger: ledger,
            notes: notes)
        if failed {
            report.failed = true
            report.notes += rig.troubleLines()
        }
        return report
    }

    /// `smokegate status --json` run under the shim, as an operator on the stepped machine would.
    private func smokegateStatus(_ rig: FaultRig, _ shim: ClockShim) async throws -> (running: Bool, connected: Bool) {
        let result = try await BinaryProcess.run(
            "smokegate", ["status", "--json", "--config", rig.files.mainFile.path], environment: shim.environment)
        guard result.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else { throw TestSupportError("smokegate status failed: \(result.stderr)") }
        return (json["running"] as? Bool ?? false, json["connected"] as? Bool ?? false)
    }

    /// Each call's time after its alarm, on the suite's clock, against its tier's offset.
    private func timing(_ calls: [TestSubscriber.Received], alarmedAt: [String: Date]) -> (outside: Int, summary: String) {
        var byTier: [String: [TimeInterval]] = [:]
        var outside = 0
        for call in calls where call.field("action") == "notify" {
            guard let tier = call.field("tier"), let due = Self.due[tier], let device = call.field("device"),
                let alarmed = alarmedAt[device]
            else { continue }
            let after = call.arrivedAt.timeIntervalSince(alarmed)
            byTier[tier, default: []].append(after)
            if after < due - 0.3 || after > due + Self.slack { outside += 1 }
        }
        let ranges = ["grid", "community", "street", "station"].map { tier in
            let times = byTier[tier] ?? []
            return String(format: "%@ %.2f–%.2f s", tier, times.min() ?? .nan, times.max() ?? .nan)
        }
        return (outside, "after each alarm: \(ranges.joined(separator: ", ")); calls off their offset: \(outside)")
    }
}
