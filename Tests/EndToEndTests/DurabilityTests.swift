import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// The real `smokegated` binary killed at the worst moments: an alarm the broker handed over
/// is never lost and never stored twice.
@Suite(.serialized) struct DurabilityTests {
    /// Alarms in each format; the last two carry no stamp of their own.
    static let alarms: [(name: String, topic: String, payload: String)] = [
        ("native stamped", "smokegate/detectors/det-1/event", #"{"type":"alarm","ts":"2026-11-22T08:00:00Z","seq":42}"#),
        ("native unstamped", "smokegate/detectors/det-1/event", #"{"type":"alarm"}"#),
        ("zigbee2mqtt state", "zigbee2mqtt/det-2", #"{"smoke":true,"battery":90,"linkquality":120}"#),
        (
            "ctwing push", "ctwing/smoke/15014772",
            #"{"messageType":"dataReport","IMEI":"860000000000001","timestamp":1795334460000,"payload":{"serviceId":"notification","serviceData":{"Alarm_Status":1,"Battery_Level":100,"RSRP":109}}}"#
        ),
    ]

    static let faults = ["crash-before-commit", "crash-after-commit"]

    @Test(arguments: faults, alarms.map(\.name))
    func anAlarmSurvivesACrashAndIsStoredExactlyOnce(fault: String, alarmName: String) async throws {
        let alarm = Self.alarms.first { $0.name == alarmName }!
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port)
        let arguments = ["--config", files.mainFile.path, "--log-level", "debug"]

        let doomed = try BinaryProcess("smokegated", arguments, environment: ["SMOKEGATE_FAULT_INJECTION": fault])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 30) { try store.connected() }, "daemon subscribed: \(doomed.standardError)")
        try await TestPublisher.connect(port: broker.port).publish(alarm.topic, alarm.payload)
        let status = await doomed.waitForExit(timeout: 30)
        #expect(status == 86, "the daemon died where the fault was injected: \(doomed.standardError)")
        let storedBeforeRestart = try store.alarms()
        #expect(storedBeforeRestart == (fault == "crash-before-commit" ? 0 : 1))

        let restarted = try BinaryProcess("smokegated", arguments)
        #expect(
            try await eventually(timeout: 30) { try store.alarms() == 1 }, "the broker redelivered: \(restarted.standardError)")
        // Give a second redelivery every chance to show up before counting again.
        #expect(try await eventually(timeout: 30) { try store.status()?.received ?? 0 >= 1 })
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(try store.alarms() == 1, "stored exactly once")
        #expect(await restarted.stop() == 0, "SIGTERM is a clean exit: \(restarted.standardError)")
    }
}
