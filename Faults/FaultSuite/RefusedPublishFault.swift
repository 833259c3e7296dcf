import Foundation
import SmokeGateStore
import SmokeGateTestSupport

/// The broker's ACL denies the gateway's user write on `smokegate/notify/#` (the mistake the
/// field made) while alarms arrive and their fires climb the ladder. While refused, no call
/// may be marked sent or arrive, `/healthz` must answer 503 and the status say the broker
/// refuses calls; once the ACL is fixed and the broker reloaded (SIGHUP to the broker this
/// suite started, by its pid), every call must arrive under the notification id of its
/// outbox row, and the refusal must clear.
struct RefusedPublishFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let port = try FreePort.find()
        let broker = try MosquittoBroker.secured(
            users: [("smokegated", "gateway-secret"), ("fleet", "fleet-secret")],
            acl: MosquittoBroker.gatewayACL(callsAllowed: false, clients: "fleet"),
            persistence: true)
        let rig = try await FaultRig(
            detectors: settings.quick ? 20 : 60, http: port, broker: broker, login: ("smokegated", "gateway-secret"),
            clients: ("fleet", "fleet-secret"))
        var ledger = AlarmLedger()
        try await rig.startDaemon()
        for device in rig.detectors {
            try await rig.alarm(device)
            ledger.record(device)
        }
        // Refused for longer than the ladder (station at 6 s), so every tier's call is refused.
        let hold: TimeInterval = settings.quick ? 10 : 30
        var probes = 0
        var unhealthy = 0
        var statusRefusing = 0
        var markedSent = 0
        let start = Date()
        while Date().timeIntervalSince(start) < hold {
            try await Task.sleep(for: .seconds(1))
            probes += 1
            if HTTPProbe.get("/healthz", port: port, timeout: 2)?.status == 503 { unhealthy += 1 }
            if try await status(rig)["dispatch_refusing"] as? Bool == true { statusRefusing += 1 }
            markedSent = max(markedSent, try rows(rig).filter { $0.sentAt != nil }.count)
        }
        let held = try rows(rig)
        let receivedWhileRefused = rig.responders.received.count
        let refusal = try await status(rig)["refusal"] as? String ?? "-"

        try broker.writeACL(MosquittoBroker.gatewayACL(callsAllowed: true, clients: "fleet"))
        try broker.reload()
        let fixed = Date()
        try await rig.settle(&ledger)
        let deliveredAfter = Date().timeIntervalSince(fixed)
        let received = Set(rig.responders.received.compactMap { $0.field("notification") })
        let outboxIDs = Set(held.map(\.notification))
        let sameIDs = received == outboxIDs && held.count == rig.detectors.count * 4
        let healthyAgain = await eventually(timeout: 5) { HTTPProbe.get("/healthz", port: port)?.status == 200 }
        var cleared = false
        for _ in 0..<10 where !cleared {
            cleared = try await status(rig)["dispatch_refusing"] as? Bool == false
            if !cleared { try await Task.sleep(for: .milliseconds(500)) }
        }
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .refusedPublish,
            tried: String(format: "ACL denies the gateway's calls %.0f s, then fixed and the broker SIGHUP'd", hold),
            ledger: ledger,
            notes: [
                "while refused: \(markedSent) of \(held.count) calls marked sent, \(receivedWhileRefused) received; "
                    + "/healthz 503 on \(unhealthy) of \(probes) probes; status refusing on \(statusRefusing) of \(probes)",
                "status said: \(refusal)",
                String(
                    format: "after the fix: %d calls delivered in %.1f s under their outbox rows' ids: %@", received.count,
                    deliveredAfter, sameIDs ? "yes" : "NO"),
                "after the fix: /healthz 200: \(healthyAgain), status refusing cleared: \(cleared)",
            ])
        if markedSent > 0 || receivedWhileRefused > 0 || unhealthy < probes || statusRefusing < probes - 1 || !sameIDs
            || !healthyAgain || !cleared || status != 0
        {
            report.failed = true
            report.notes.append("exit status \(status.map(String.init) ?? "-")")
            report.notes += rig.troubleLines()
        }
        return report
    }

    /// Every call in the outbox, for every incident.
    private func rows(_ rig: FaultRig) throws -> [(notification: String, sentAt: Date?)] {
        guard let store = try rig.store() else { return [] }
        return try store.incidents(includeResolved: true).flatMap { incident in
            try store.notifications(of: incident.id).map { ($0.notification, $0.sentAt) }
        }
    }

    /// `smokegate status --json`, as an operator reads it.
    private func status(_ rig: FaultRig) async throws -> [String: Any] {
        let result = try await BinaryProcess.run("smokegate", ["status", "--json", "--config", rig.files.mainFile.path])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }
}
