import Foundation
import SmokeGateTestSupport
import Testing

/// The real `smokegated` under a stand-in for systemd: a datagram socket in `$NOTIFY_SOCKET`.
@Suite struct ServiceManagerTests {
    @Test func readyWatchdogStatusAndStoppingAreSent() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port)
        let manager = try NotifySocket()
        let daemon = try BinaryProcess(
            "smokegated", ["--config", files.mainFile.path],
            environment: ["NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": "2000000"])
        let first = manager.receive(for: 4)
        #expect(first.contains("READY=1"), "\(first) \(daemon.standardError)")
        #expect(first.filter { $0 == "WATCHDOG=1" }.count >= 3, "pings at least every half WATCHDOG_USEC: \(first)")
        let status = try #require(first.first { $0.hasPrefix("STATUS=") })
        #expect(status.contains("connected") && status.contains("0 open incident(s)"), "\(status)")

        try await TestPublisher.connect(port: broker.port).publish(
            "smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        let later = manager.receive(for: 2)
        #expect(later.contains { $0.hasPrefix("STATUS=") && $0.contains("1 open incident(s)") }, "\(later)")

        kill(daemon.pid, SIGTERM)
        let stopping = manager.receive(for: 2)
        #expect(stopping.contains { $0.hasPrefix("STOPPING=1") }, "\(stopping)")
        #expect(await daemon.waitForExit(timeout: 20) == 0, "\(daemon.standardError)")
    }

    @Test func aStalledLoopStopsTheWatchdogUntilItRecovers() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port)
        let manager = try NotifySocket()
        let daemon = try BinaryProcess(
            "smokegated", ["--config", files.mainFile.path],
            environment: [
                "NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": "2000000", "SMOKEGATE_FAULT_INJECTION": "stall-on-alarm",
            ])
        #expect(manager.receive(for: 3).contains("READY=1"), "\(daemon.standardError)")
        // The alarm holds the ingest thread for eight seconds: longer than the watchdog period.
        let publisher = try await TestPublisher.connect(port: broker.port)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        _ = manager.receive(for: 3)
        let stalled = manager.receive(for: 3)
        #expect(!stalled.contains("WATCHDOG=1"), "no pings while ingest is stuck: \(stalled)")
        let recovered = manager.receive(for: 5)
        #expect(recovered.contains("WATCHDOG=1"), "pings again once it recovers: \(recovered)")
        #expect(await daemon.stop() == 0, "\(daemon.standardError)")
    }
}
