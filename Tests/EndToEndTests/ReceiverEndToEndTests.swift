import Foundation
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// Calls reaching people with the real binaries: `smokegated` on a real broker, the vendors'
/// loopback doubles as their own process (`receiver-doubles`, checking each request and
/// signature as documented), answers posted to the daemon's HTTP server as a phone does.
@Suite(.serialized) struct ReceiverEndToEndTests {
    /// A running street: broker, doubles, daemon with receivers and answers on `httpPort`.
    struct Street {
        let daemon: RunningDaemon
        let doubles: BinaryProcess
        let doublesPort: Int
        let httpPort: Int
        let setup: ReceiverSetup
        let responders: TestSubscriber

        /// `fixedPort`: the doubles listen below the ephemeral range, so that after being down
        /// for minutes they get their port back however many ports other tests took meanwhile.
        static func start(escalation: String, devices: String = TestConfiguration.devices, fixedPort: Bool = false)
            async throws -> Street
        {
            let broker = try MosquittoBroker()
            let folder = try TemporaryFolder.make(prefix: "receivers-e2e")
            let portFile = folder.appendingPathComponent("doubles.port").path
            let port = fixedPort ? try FreePort.findBelowEphemeralRange() : 0
            let doubles = try BinaryProcess(
                "receiver-doubles", ["--port", "\(port)", "--port-file", portFile, "--lifetime", "10m"])
            guard
                await eventually(
                    timeout: 20, { ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").contains("\n") }),
                let port = Int(
                    ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").trimmingCharacters(
                        in: .whitespacesAndNewlines))
            else {
                await doubles.stop(signal: SIGKILL)
                throw TestSupportError("receiver-doubles never listened:\n\(doubles.standardError)")
            }
            let httpPort = try FreePort.find()
            let setup = try ReceiverSetup(folder: folder, doublesPort: port, httpPort: httpPort)
            let files = try TestConfiguration(
                brokerPort: broker.port, escalation: escalation, extra: setup.mainExtra, devices: devices, chain: setup.chain,
                folder: folder)
            let check = try await BinaryProcess.run("smokegated", ["--check-config", "--config", files.mainFile.path])
            #expect(check.status == 0, "the receivers' configuration is valid: \(check.stdout)\(check.stderr)")
            let daemon = try await RunningDaemon.start(broker: broker, files: files)
            let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
            return Street(
                daemon: daemon, doubles: doubles, doublesPort: port, httpPort: httpPort, setup: setup, responders: responders)
        }

        func received(_ vendor: String) -> [ReceivedMessage] {
            guard let response = HTTPProbe.get("/_received?vendor=\(vendor)", port: doublesPort) else { return [] }
            return ReceiverDoubles.decodeReceived(response.body) ?? []
        }

        func control(_ path: String, _ json: String) {
            _ = HTTPProbe.post("/_control/\(path)", body: json, contentType: "application/json", port: doublesPort)
        }

        func smokegate(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await BinaryProcess.run("smokegate", arguments + ["--config", daemon.files.mainFile.path])
        }

        func mqtt(_ action: String) -> [TestSubscriber.Received] {
            responders.received.filter { $0.field("action") == action }
        }

        func stop() async {
            #expect(await daemon.process.stop() == 0)
            await doubles.stop()
        }
    }

    /// The path of a link the daemon made (`http://127.0.0.1:PORT/answer/TOKEN` → `/answer/TOKEN`).
    private func path(of link: String) -> String {
        guard let range = link.range(of: "/answer/") else { return link }
        return String(link[range.lowerBound...])
    }

    @Test func aFireReachesTheGridsRobotAndTheCommunitysTextsAndAPOSTToTheLinkStopsTheLadder() async throws {
        let street = try await Street.start(escalation: "{ grid: 0s, community: 3s, street: 8s, station: 1h }")
        let alarmedAt = Date()
        try await street.daemon.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { !street.received("wecom").isEmpty })
        let robot = try #require(street.received("wecom").first)
        #expect(robot.at.timeIntervalSince(alarmedAt) < 2, "the grid's WeCom group hears at once")
        #expect(robot.text.contains("北湖路1号3栋101室") && robot.text.contains("社区文化广场"))
        let link = try #require(robot.link)
        #expect(link.hasPrefix("http://127.0.0.1:\(street.httpPort)/answer/"))
        // The community's texts at 3 s.
        #expect(await eventually(timeout: 8) { street.received("aliyun_sms").contains { $0.to.contains("13800000001") } })
        let text = try #require(street.received("aliyun_sms").first { $0.to.contains("13800000001") })
        #expect(text.at.timeIntervalSince(alarmedAt) >= 2.9)

        // A GET, as a chat app's link preview makes, changes nothing.
        let before = try await street.smokegate(["show", "1", "--json"]).stdout
        let page = try #require(HTTPProbe.get(path(of: link), port: street.httpPort))
        #expect(page.status == 200 && page.body.contains("火警") && page.body.contains("北湖路1号3栋101室"))
        _ = HTTPProbe.get(path(of: link), port: street.httpPort)
        #expect(try await street.smokegate(["show", "1", "--json"]).stdout == before)
        // A tampered or foreign link is refused and changes nothing.
        var tampered = Array(path(of: link))
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        let refused = try #require(HTTPProbe.post(String(tampered), body: "action=ack&by=x", port: street.httpPort))
        #expect(refused.status == 403)
        let expiredToken = AnswerLink.token(
            AnswerLink.Claim(incident: 1, tier: .grid, unit: "yq-c01-g01", expires: Int64(Date().timeIntervalSince1970) - 5),
            key: Array(street.setup.answerKey.utf8))
        let expired = try #require(HTTPProbe.post("/answer/\(expiredToken)", body: "action=ack&by=x", port: street.httpPort))
        #expect(expired.status == 410)
        #expect(street.mqtt("ack").isEmpty)

        // The grid worker follows the link and acknowledges (a POST): the ladder stops, every tier called is told.
        let answer = try #require(
            HTTPProbe.post(path(of: link), body: "action=ack&by=%E7%BD%91%E6%A0%BC%E5%91%98%E7%8E%8B", port: street.httpPort))
        #expect(answer.status == 200)
        #expect(await eventually(timeout: 5) { Set(street.mqtt("ack").map(\.topic)).count == 2 })
        #expect(
            Set(street.mqtt("ack").map(\.topic)) == ["smokegate/notify/grid/yq-c01-g01", "smokegate/notify/community/yq-c01"])
        // The people hear it too: the robot and the community's texts.
        #expect(await eventually(timeout: 5) { street.received("wecom").count == 2 })
        #expect(street.received("wecom").last?.text.contains("网格员王") == true)
        let shown = try await street.smokegate(["show", "1", "--json"])
        #expect(shown.stdout.contains("\"channel\" : \"link\"") || shown.stdout.contains("\"channel\":\"link\""))
        // Past the street's offset: nobody else was called.
        try await Task.sleep(for: .seconds(max(0, 9 - Date().timeIntervalSince(alarmedAt))))
        #expect(street.mqtt("notify").count == 2 && street.received("dingtalk").isEmpty)
        // A second answer is refused with who answered.
        let second = try #require(HTTPProbe.post(path(of: link), body: "action=ack&by=someone", port: street.httpPort))
        #expect(second.status == 409 && second.body.contains("网格员王"))
        await street.stop()
    }

    @Test func aReceiverThatRefusesForGoodIsAnAlarmForTheStreet() async throws {
        let street = try await Street.start(escalation: "{ grid: 0s, community: 1h }")
        street.control("wecom", #"{"thereafter":{"answer":"bad_key"}}"#)
        try await street.daemon.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(
            await eventually(timeout: 8) {
                street.mqtt("call_failed").contains { $0.topic == "smokegate/notify/street/yongquan" }
            })
        #expect(await eventually(timeout: 5) { !street.received("webhook").isEmpty && !street.received("dingtalk").isEmpty })
        let shown = try await street.smokegate(["show", "1"])
        #expect(shown.stdout.contains("call_failed") && shown.stdout.contains("grid-wecom"))
        #expect(shown.stdout.contains("refused"))
        #expect(await eventually(timeout: 3) { HTTPProbe.get("/healthz", port: street.httpPort)?.status == 503 })
        let status = try await street.smokegate(["status"])
        #expect(status.stdout.contains("RECEIVER grid-wecom"))
        let metrics = HTTPProbe.get("/metrics", port: street.httpPort)?.body ?? ""
        #expect(metrics.contains(#"smokegate_deliveries_total{receiver="grid-wecom",outcome="refused"} 1"#))
        #expect(metrics.contains(#"smokegate_deliveries_total{receiver="desk-hook",outcome="delivered"}"#))
        // No secret reaches the operator's screens: the robot's key is in its URL.
        #expect(!status.stdout.contains("grid-robot") && !metrics.contains("grid-robot") && !shown.stdout.contains("grid-robot"))
        await street.stop()
    }

    @Test func aReceiverDownForTwoMinutesGetsEverythingAfterwardsOnceInOrder() async throws {
        let street = try await Street.start(escalation: "{ grid: 0s, community: 1h }", fixedPort: true)
        street.control("refuse", #"{"seconds":120}"#)
        try await Task.sleep(for: .milliseconds(500))
        // Two fires at two venues of the grid while its robot (and every other vendor) is down.
        let publisher = try await street.daemon.publisher()
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await publisher.publish("smokegate/detectors/860000000000001/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 5) { street.mqtt("notify").count == 2 })
        // Down: nothing reaches the robot; past a minute the street is told, on MQTT.
        #expect(await eventually(timeout: 75) { street.mqtt("call_failed").count == 2 })
        #expect(street.received("wecom").isEmpty)
        // Back after two minutes: each fire's call reaches the group, once.
        #expect(
            await eventually(timeout: 130) { street.received("wecom").count >= 2 },
            "doubles: \(street.doubles.standardError)\nsmokegated: \(street.daemon.process.standardError.suffix(3000))")
        // Then the grid worker acknowledges the first: its ack follows its notify.
        #expect(try await street.smokegate(["ack", "1", "--by", "值班长"]).status == 0)
        #expect(await eventually(timeout: 10) { street.received("wecom").count >= 3 })
        try await Task.sleep(for: .seconds(2))
        let messages = street.received("wecom").map { text in
            let lines = text.text.components(separatedBy: "\n")
            return (lines.first ?? "") + " " + (lines.first { $0.hasPrefix("事件编号") } ?? "")
        }
        #expect(messages.count == 3, "once each: \(messages)")
        #expect(Set(messages.prefix(2)) == ["【火警】通知 事件编号：1", "【火警】通知 事件编号：2"])
        #expect(messages.last == "【火警】已确认 事件编号：1")
        await street.stop()
    }

    @Test func aRateLimitedRobotGetsMergedMessagesNoneLost() async throws {
        let street = try await Street.start(
            escalation: "{ grid: 0s, community: 1h }", devices: ReceiverSetup.devices(6))
        street.control("wecom", #"{"answers":[{"answer":"rate_limited"}]}"#)
        let publisher = try await street.daemon.publisher()
        for index in 1...6 {
            try await publisher.publish("smokegate/detectors/fire-\(index)/event", #"{"type":"alarm","seq":1}"#)
        }
        // The robot said "too fast" (45009): nothing for a minute, then what waited, merged.
        #expect(await eventually(timeout: 75) { !street.received("wecom").isEmpty })
        try await Task.sleep(for: .seconds(2))
        let messages = street.received("wecom")
        #expect(messages.count < 6, "merged, not one message per fire")
        let all = messages.map(\.text).joined(separator: "\n")
        for index in 1...6 { #expect(all.contains("北湖路\(index)号"), "fire-\(index) is not lost") }
        await street.stop()
    }
}
