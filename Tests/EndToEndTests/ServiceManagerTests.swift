import Foundation
import SmokeGateTestSupport
import Testing

/// The real `smokegated` under a stand-in for systemd: a datagram socket in `$NOTIFY_SOCKET`.
@Suite struct ServiceManagerTests {
    @Test func readyWatchdogStatusAndStoppingAreSent() async throws {
        let (broker, manager, daemon) = try Self.underServiceManager(watchdog: "2000000")
        defer { broker.stop() }
        let first = await manager.receive(for: 4)
        #expect(first.contains("READY=1"), "\(first) \(daemon.standardError)")
        #expect(first.filter { $0 == "WATCHDOG=1" }.count >= 3, "pings at least every half WATCHDOG_USEC: \(first)")
        let status = try #require(first.first { $0.hasPrefix("STATUS=") })
        #expect(status.contains("connected") && status.contains("0 open incident(s)"), "\(status)")

        try await TestPublisher.connect(port: broker.port).publish(
            "smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        let later = await manager.receive(for: 2)
        #expect(later.contains { $0.hasPrefix("STATUS=") && $0.contains("1 open incident(s)") }, "\(later)")

        kill(daemon.pid, SIGTERM)
        let stopping = await manager.receive(for: 2)
        #expect(stopping.contains { $0.hasPrefix("STOPPING=1") }, "\(stopping)")
        #expect(await daemon.waitForExit(timeout: 20) == 0, "\(daemon.standardError)")
    }

    @Test func aStalledLoopStopsTheWatchdogUntilItRecovers() async throws {
        let (broker, manager, daemon) = try Self.underServiceManager(
            watchdog: "2000000", environment: ["SMOKEGATE_FAULT_INJECTION": "stall-on-alarm"])
        defer { broker.stop() }
        #expect(await manager.receive(for: 3).contains("READY=1"), "\(daemon.standardError)")
        // The alarm holds the ingest thread for eight seconds: longer than the watchdog period.
        let publisher = try await TestPublisher.connect(port: broker.port)
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        _ = await manager.receive(for: 3)
        let stalled = await manager.receive(for: 3)
        #expect(!stalled.contains("WATCHDOG=1"), "no pings while ingest is stuck: \(stalled)")
        let recovered = await manager.receive(for: 5)
        #expect(recovered.contains("WATCHDOG=1"), "pings again once it recovers: \(recovered)")
        #expect(await daemon.stop() == 0, "\(daemon.standardError)")
    }

    /// Durable QoS 0 events queued for the worker (a Zigbee2MQTT detector's test button,
    /// pressed and released, each a commit) and then an alarm at QoS 1, which the network
    /// thread handles only after the queue: a long wait, but every message handled meanwhile
    /// is progress, and the watchdog keeps being fed.
    @Test func aLongHealthyDrainOfQoS0EventsKeepsTheWatchdogFed() async throws {
        let (broker, manager, daemon) = try Self.underServiceManager(watchdog: "1000000")
        defer { broker.stop() }
        #expect(await manager.receive(for: 3).contains("READY=1"), "\(daemon.standardError)")
        let publisher = try await TestPublisher.connect(port: broker.port)
        // The burst goes from a thread of its own, so it reaches the broker at once however busy
        // the machine: the daemon's drain, a commit per press, is what takes the time.
        try await onOwnThread {
            for press in 0..<5_000 {
                try publisher.publishNow("zigbee2mqtt/det-2", #"{"test":\#(press % 2 == 0),"battery":90}"#)
            }
        }
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        let sent = Date()
        let messages = await manager.receiveTimed(for: 30)
        let opened = try #require(
            messages.first { $0.text.contains("STATUS=") && $0.text.contains("1 open incident(s)") }?.at,
            "the alarm was stored after the drain: \(daemon.standardError)")
        let drain = opened.timeIntervalSince(sent)
        let pings = [sent] + messages.filter { $0.text == "WATCHDOG=1" && $0.at <= opened }.map(\.at) + [opened]
        let longestGap = zip(pings, pings.dropFirst()).map { $1.timeIntervalSince($0) }.max() ?? 0
        print("QoS 0 drain of 5,000 durable events: \(drain) s; longest gap between watchdog pings: \(longestGap) s")
        #expect(drain > 1.2, "the drain outlasted the watchdog period (\(drain) s), or this proves nothing")
        #expect(longestGap < 0.9, "pings every half WATCHDOG_USEC through a \(drain) s drain; longest gap \(longestGap) s")
        #expect(await daemon.stop() == 0, "\(daemon.standardError)")
    }

    /// A broker, a configuration and the real `smokegated` on them, under a notify socket with
    /// a watchdog of `watchdog` microseconds.
    static func underServiceManager(
        watchdog: String, environment: [String: String] = [:]
    ) throws -> (MosquittoBroker, NotifySocket, BinaryProcess) {
        let broker = try MosquittoBroker()
        let files = try TestConfiguration(brokerPort: broker.port)
        let manager = try NotifySocket()
        let daemon = try BinaryProcess(
            "smokegated", ["--config", files.mainFile.path],
            environment: environment.merging(["NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": watchdog]) { $1 })
        return (broker, manager, daemon)
    }
}
