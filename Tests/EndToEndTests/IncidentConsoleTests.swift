import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate alarms`, `show`, `ack` and `resolve`: the built binary against a live daemon
/// on a real broker, as the duty officer uses them.
@Suite(.serialized) struct IncidentConsoleTests {
    private func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func anOperatorListsShowsAcknowledgesAndResolves() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port, escalation: "{ grid: 0s, community: 1m, street: 2m }")
        let running = try await RunningDaemon.start(broker: broker, files: files)
        let config = ["--config", files.mainFile.path]
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        try await running.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(try await eventually { try running.store.incidents().count == 1 })

        let alarms = try await BinaryProcess.run("smokegate", ["alarms", "--json"] + config)
        #expect(alarms.status == 0, "\(alarms.stderr)")
        let list = try #require(try json(alarms.stdout) as? [[String: Any]])
        let incident = try #require(list.first)
        for field in [
            "id", "kind", "state", "device", "grid", "community", "street", "opened_at", "tier", "acked_by", "acked_at",
            "resolved_at",
        ] {
            #expect(incident[field] != nil, "alarms --json lacks \(field)")
        }
        #expect(incident["id"] as? Int == 1 && incident["kind"] as? String == "fire" && incident["state"] as? String == "open")
        #expect(incident["device"] as? String == "det-1" && incident["grid"] as? String == "yq-c01-g01")
        #expect(incident["tier"] as? String == "grid" && incident["acked_by"] is NSNull)

        // Two operators acknowledge at the same moment: exactly one wins.
        let first = try BinaryProcess("smokegate", ["ack", "1", "--by", "王伟", "--note", "已到场"] + config)
        let second = try BinaryProcess("smokegate", ["ack", "1", "--by", "李娜"] + config)
        let statuses = [await first.waitForExit(timeout: 30), await second.waitForExit(timeout: 30)]
        #expect(statuses.sorted { ($0 ?? -1) < ($1 ?? -1) } == [0, 1], "\(first.standardError) \(second.standardError)")
        let loser = statuses[0] == 0 ? second : first
        #expect(loser.standardError.contains("already acknowledged by"), "\(loser.standardError)")
        #expect(loser.standardOutput.isEmpty)
        #expect(
            await eventually(timeout: 5) { responders.received.contains { $0.field("action") == "ack" } },
            "the daemon tells the grid")

        let shown = try await BinaryProcess.run("smokegate", ["show", "1", "--json"] + config)
        #expect(shown.status == 0, "\(shown.stderr)")
        let object = try #require(try json(shown.stdout) as? [String: Any])
        #expect(object["state"] as? String == "acknowledged" && object["acked_at"] is String)
        let timeline = try #require(object["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["action"] as? String } == ["opened", "called", "acknowledged"])
        let acknowledged = try #require(timeline.last)
        #expect(acknowledged["by"] as? String == object["acked_by"] as? String)
        #expect((acknowledged["os_user"] as? String)?.isEmpty == false, "the account that ran the command is audited")
        #expect(acknowledged["channel"] as? String == "cli" && timeline[0]["channel"] == nil, "and the channel it came by")
        #expect(timeline[1]["tier"] as? String == "grid" && timeline[0]["tier"] == nil)

        // The detector clears first: resolving a fire whose detector still senses smoke re-latches it.
        try await running.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm_clear","seq":2}"#)
        #expect(try await eventually { try running.store.timeline(of: 1).contains { $0.action == .alarmCleared } })
        let resolved = try await BinaryProcess.run("smokegate", ["resolve", "1", "--by", "王伟", "--cause", "cooking"] + config)
        #expect(resolved.status == 0 && !resolved.stdout.contains("RE-LATCHED"), "\(resolved.stderr)")
        let late = try await BinaryProcess.run("smokegate", ["ack", "1", "--by", "李娜"] + config)
        #expect(late.status == 1 && late.stderr.contains("resolved at") && late.stderr.contains("nothing to acknowledge"))
        let open = try await BinaryProcess.run("smokegate", ["alarms", "--json"] + config)
        #expect(try json(open.stdout) as? [Any] != nil && (try json(open.stdout) as? [Any])?.isEmpty == true)
        let all = try await BinaryProcess.run("smokegate", ["alarms", "--all", "--json"] + config)
        let closed = try #require((try json(all.stdout) as? [[String: Any]])?.first)
        #expect(
            closed["state"] as? String == "resolved" && closed["resolved_at"] is String && closed["cause"] as? String == "cooking"
        )
        let table = try await BinaryProcess.run("smokegate", ["alarms", "--all"] + config)
        #expect(table.stdout.contains("北湖小区3栋") && table.stdout.contains("resolved"))
        #expect(await running.process.stop() == 0)
    }

    @Test func everyFailureSaysWhatToDo() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let config = ["--config", files.mainFile.path]
        let noDatabase = try await BinaryProcess.run("smokegate", ["ack", "1", "--by", "王伟"] + config)
        #expect(noDatabase.status == 1 && noDatabase.stderr.contains("no database at") && noDatabase.stdout.isEmpty)

        let missing = try await BinaryProcess.run("smokegate", ["alarms", "--config", "/nonexistent/smokegate.yaml"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot use configuration /nonexistent/smokegate.yaml"))

        try Data("this is not a database, it is a shopping list".utf8).write(to: files.databaseFile)
        let garbage = try await BinaryProcess.run("smokegate", ["alarms"] + config)
        #expect(garbage.status == 1 && garbage.stderr.contains("cannot open database"), "\(garbage.stderr)")

        try FileManager.default.removeItem(at: files.databaseFile)
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let running = try await RunningDaemon.start(broker: broker)
        let liveConfig = ["--config", running.files.mainFile.path]
        let unknown = try await BinaryProcess.run("smokegate", ["show", "99"] + liveConfig)
        #expect(unknown.status == 1 && unknown.stderr.contains("no incident 99"))
        let unknownAck = try await BinaryProcess.run("smokegate", ["ack", "99", "--by", "王伟"] + liveConfig)
        #expect(unknownAck.status == 1 && unknownAck.stderr.contains("no incident 99"))
        let noName = try await BinaryProcess.run("smokegate", ["ack", "1"] + liveConfig)
        #expect(noName.status != 0 && noName.stderr.contains("--by"))
        // An account that may read the database but not write it (only checkable when the tests run as root).
        if getuid() == 0, let runuser = try? Executables.find("runuser", in: ["/usr/sbin", "/sbin", "/usr/bin"]) {
            let denied = try await BinaryProcess.run(
                runuser, ["-u", "nobody", "--", Executables.product("smokegate").path, "ack", "1", "--by", "王伟"] + liveConfig)
            #expect(denied.status == 1 && denied.stderr.contains("permission denied"), "\(denied.stderr)")
            #expect(denied.stderr.contains("smokegate group, or with sudo"))
        }
        let completion = try await BinaryProcess.run("smokegate", ["--generate-completion-script", "bash"])
        #expect(completion.status == 0 && completion.stdout.contains("silence") && completion.stdout.contains("resolve"))
        let noCause = try await BinaryProcess.run("smokegate", ["resolve", "1", "--by", "王伟", "--cause", " "] + liveConfig)
        #expect(noCause.status != 0 && noCause.stderr.contains("--cause needs a cause"))
        #expect(await running.process.stop() == 0)
    }

    @Test func aSilenceCoversAGridUntilItIsLiftedAndEndsByItself() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let running = try await RunningDaemon.start(broker: broker)
        let config = ["--config", running.files.mainFile.path]
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        let publisher = try await running.publisher()

        let added = try await BinaryProcess.run(
            "smokegate", ["silence", "add", "--grid", "yq-c01-g01", "--for", "1h", "--reason", "线路改造", "--by", "王伟"] + config)
        #expect(added.status == 0, "\(added.stderr)")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(try await eventually { try running.store.incidents().count == 1 })
        let alarms = try await BinaryProcess.run("smokegate", ["alarms", "--json"] + config)
        let silenced = try #require((try json(alarms.stdout) as? [[String: Any]])?.first)
        #expect((silenced["silenced_by"] as? String)?.contains("线路改造") == true && silenced["tier"] is NSNull)
        #expect(silenced["shielded"] as? String == silenced["silenced_by"] as? String, "the old name stays for a release")
        let listed = try await BinaryProcess.run("smokegate", ["silence", "list", "--json"] + config)
        let silence = try #require((try json(listed.stdout) as? [[String: Any]])?.first)
        #expect(
            silence["target"] as? String == "yq-c01-g01" && silence["active"] as? Bool == true && silence["os_user"] is String)

        #expect(!responders.received.contains { $0.field("device") == "det-1" }, "the silenced alarm called nobody")
        // det-1 still senses smoke when the silence is lifted: what it hid is called now.
        let lifted = try await BinaryProcess.run("smokegate", ["silence", "lift", "1", "--by", "王伟"] + config)
        #expect(lifted.status == 0 && lifted.stdout.contains("what it hid is still true"), "\(lifted.stdout)\(lifted.stderr)")
        let again = try await BinaryProcess.run("smokegate", ["silence", "lift", "1", "--by", "王伟"] + config)
        #expect(again.status == 1 && again.stderr.contains("already lifted by 王伟"))
        #expect(
            await eventually(timeout: 5) {
                responders.received.contains { $0.field("device") == "det-1" && $0.field("tier") == "grid" }
            })

        // A short silence ends by itself.
        let short = try await BinaryProcess.run(
            "smokegate",
            ["silence", "add", "--device", "860000000000001", "--for", "2s", "--reason", "换电池", "--by", "李娜"] + config)
        #expect(short.status == 0, "\(short.stderr)")
        try await Task.sleep(for: .milliseconds(2_500))
        try await publisher.publish("smokegate/detectors/860000000000001/event", #"{"type":"fault","seq":1}"#)
        #expect(await eventually(timeout: 5) { responders.received.contains { $0.field("device") == "860000000000001" } })

        let unknown = try await BinaryProcess.run(
            "smokegate", ["silence", "add", "--grid", "nowhere", "--for", "1h", "--reason", "x", "--by", "王伟"] + config)
        #expect(unknown.status == 1 && unknown.stderr.contains("no grid 'nowhere'"))
        let tooLong = try await BinaryProcess.run(
            "smokegate", ["silence", "add", "--device", "det-1", "--for", "90d", "--reason", "x", "--by", "王伟"] + config)
        #expect(tooLong.status != 0 && tooLong.stderr.contains("at most 30d"))
        #expect(await running.process.stop() == 0)
    }
}
