import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Field rule 8, a refusal is not a delivery, with the real binaries on a real broker: a call
/// the broker's ACL refuses stays in the outbox and shows in `/healthz`, `/metrics` and
/// `smokegate status` until the ACL is fixed, then goes out under its notification id; a
/// subscription the broker refuses is not "connected", nor READY, until it is granted.
@Suite(.serialized) struct BrokerRefusalTests {
    /// `smokegate status --json` as an object.
    static func status(_ files: TestConfiguration) async throws -> [String: Any] {
        let result = try await BinaryProcess.run("smokegate", ["status", "--json", "--config", files.mainFile.path])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    /// The value of one sample line, `name{labels} value`, in Prometheus text.
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func aCallTheBrokerRefusesIsNotSentUntilItsACLAllowsItThenGoesOutUnderItsId() async throws {
        // 0 s: two fires at two venues, on a broker whose ACL denies the gateway's calls.
        let broker = try MosquittoBroker.secured(
            users: [("smokegated", "secret"), ("tester", "tester")],
            acl: MosquittoBroker.gatewayACL(callsAllowed: false, clients: "tester"))
        defer { broker.stop() }
        let http = try FreePort.find()
        let files = try TestConfiguration(
            brokerPort: broker.port, escalation: "{ grid: 0s, community: 1h }", extra: "http:\n  listen: 127.0.0.1:\(http)",
            login: ("smokegated", "secret"))
        let responders = try await TestSubscriber.connect(
            port: broker.port, filters: ["smokegate/notify/#"], username: "tester", password: "tester")
        let running = try await RunningDaemon.start(broker: broker, files: files)
        let publisher = try await TestPublisher.connect(port: broker.port, username: "tester", password: "tester")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await publisher.publish("smokegate/detectors/860000000000001/event", #"{"type":"alarm","seq":1}"#)

        // The broker refuses both grid calls: /healthz says so with the broker's reason.
        var metrics = ""
        #expect(
            await eventually(timeout: 15) {
                metrics = HTTPProbe.get("/metrics", port: http)?.body ?? ""
                return Self.sample(metrics, "smokegate_calls_held_refused") == 2
            }, "both calls held, refused\n\(running.process.standardError)")
        let health = HTTPProbe.get("/healthz", port: http)
        #expect(health?.status == 503, "503 while calls are refused: \(health?.body ?? "no answer")")
        let body = health?.body ?? ""
        #expect(body.contains(#""dispatch_refusing":true"#) && body.contains("not authorized (0x87)"), "\(body)")
        #expect(body.contains(#""broker_connected":true"#), "ingest is fine: only the calls are refused: \(body)")

        // Nothing is marked sent, nothing arrived, and the journal, status and metrics say why.
        let incidents = try running.store.incidents()
        #expect(incidents.count == 2)
        let store = try Store(path: files.databaseFile.path, readOnly: true)
        let calls = try incidents.flatMap { try store.notifications(of: $0.id) }
        #expect(calls.count == 2 && calls.allSatisfy { $0.sentAt == nil }, "a refused call is not sent: \(calls)")
        #expect(responders.received.isEmpty)
        try await Task.sleep(for: .seconds(1))  // the status row is rewritten twice a second
        let status = try await Self.status(files)
        #expect(status["dispatch_refusing"] as? Bool == true, "\(status)")
        #expect((status["calls_refused"] as? Int ?? 0) >= 2, "\(status)")
        #expect((status["refusal"] as? String)?.contains("refused by the broker: not authorized (0x87)") == true, "\(status)")
        #expect((Self.sample(metrics, #"smokegate_calls_refused_total{tier="grid"}"#) ?? 0) >= 2, "\(metrics)")
        #expect(Self.sample(metrics, #"smokegate_notifications_sent_total{tier="grid",action="notify"}"#) == nil)
        let journal = running.process.standardError
        #expect(journal.contains("the broker refuses calls"), "one critical line on the first refusal")
        #expect(!journal.contains("notifications delivered to the broker"), "never logged as delivered")

        // The ACL is fixed and the broker reloaded: both calls go out under their outbox ids.
        try broker.writeACL(MosquittoBroker.gatewayACL(callsAllowed: true, clients: "tester"))
        try broker.reload()
        #expect(
            await eventually(timeout: 45) { responders.received.filter { $0.field("action") == "notify" }.count >= 2 },
            "delivered once allowed\n\(running.process.standardError)")
        let delivered = Set(responders.received.compactMap { $0.field("notification") })
        #expect(delivered == Set(calls.map(\.notification)), "the same notification ids as the outbox rows")
        #expect(try await eventually(timeout: 5) { try store.outboxBacklog() == 0 })
        #expect(await eventually(timeout: 5) { HTTPProbe.get("/healthz", port: http)?.status == 200 })
        try await Task.sleep(for: .seconds(1))
        let after = try await Self.status(files)
        #expect(after["dispatch_refusing"] as? Bool == false && after["refusal"] is NSNull, "\(after)")
        #expect(running.process.standardError.contains("the broker takes calls again"))
        #expect(await running.process.stop() == 0)
    }

    @Test func aSubscriptionTheBrokerRefusesIsNotConnectedNorReadyUntilItIsGranted() async throws {
        // The broker's dynamic security grants every source's topic but Zigbee2MQTT's.
        let broker = try MosquittoBroker.dynamicSecurity(allowing: [
            ("publishClientSend", "#"), ("subscribePattern", "smokegate/#"), ("subscribePattern", "ctwing/#"),
        ])
        defer { broker.stop() }
        let http = try FreePort.find()
        let files = try TestConfiguration(brokerPort: broker.port, extra: "http:\n  listen: 127.0.0.1:\(http)")
        let manager = try NotifySocket()
        let daemon = try BinaryProcess(
            "smokegated", ["--config", files.mainFile.path], environment: ["NOTIFY_SOCKET": manager.path])
        let store = StoreWatcher(path: files.databaseFile.path)

        // The session is up and two subscriptions are granted, but not "connected": no READY,
        // /healthz 503 naming the filter, status listing it.
        #expect(await eventually(timeout: 20) { (try? store.status()) != nil }, "\(daemon.standardError)")
        let early = await manager.receive(for: 3)
        #expect(!early.contains("READY=1"), "no READY with a refused subscription: \(early)")
        let health = HTTPProbe.get("/healthz", port: http)
        #expect(health?.status == 503, "\(health?.body ?? "no answer")")
        #expect(
            health?.body.contains(#""subscriptions_refused":["zigbee2mqtt/#"]"#) == true,
            "\(health?.body ?? "")")
        #expect(health?.body.contains("zigbee2mqtt/#: refused (0x80)") == true, "\(health?.body ?? "")")
        let status = try await Self.status(files)
        #expect(status["connected"] as? Bool == false, "\(status)")
        // The configuration's `zigbee2mqtt/+` is subscribed as `zigbee2mqtt/#` (docs/zigbee2mqtt.md).
        #expect(status["subscriptions_refused"] as? [String] == ["zigbee2mqtt/#"], "\(status)")
        let metrics = HTTPProbe.get("/metrics", port: http)?.body ?? ""
        #expect(Self.sample(metrics, "smokegate_subscriptions_refused") == 1)
        #expect(Self.sample(metrics, "smokegate_broker_connected") == 0)
        #expect(daemon.standardError.contains("the broker refused a subscription"), "\(daemon.standardError)")

        // The ACL is fixed (in a way that leaves the session up): the daemon asks again within
        // 30 s, without a restart or a new session, and is ready.
        try await broker.dynamicSecurity(
            #"{"command": "setDefaultACLAccess", "acls": [{"acltype": "subscribe", "allow": true}]}"#)
        let later = await manager.receive(for: 45, until: "READY=1")
        #expect(later.contains("READY=1"), "READY once granted: \(later)\n\(daemon.standardError)")
        #expect(try await eventually(timeout: 5) { try store.connected() })
        #expect(daemon.standardError.contains("the broker now grants the subscription"))
        #expect(
            daemon.standardError.components(separatedBy: "connected to the broker").count == 3,
            "one session for ingest, one for dispatch, never a new one: \(daemon.standardError)")
        #expect(await eventually(timeout: 5) { HTTPProbe.get("/healthz", port: http)?.status == 200 })
        try await TestPublisher.connect(port: broker.port).publish("zigbee2mqtt/kitchen-3", #"{"smoke":true}"#)
        #expect(try await eventually(timeout: 10) { try store.alarms() == 1 }, "heard on the granted subscription")
        #expect(await daemon.stop() == 0, "\(daemon.standardError)")
    }
}
