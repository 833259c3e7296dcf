import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate watch` driven in a real terminal (tmux on a private socket), its screen read back.
@Suite(.serialized) struct WatchTests {
    @Test(arguments: ["q", "C-c"])
    func theLiveViewShowsIncidentsAndTheDaemonAndQuitsCleanly(key: String) async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let files = try TestConfiguration(brokerPort: broker.port, escalation: "{ grid: 0s, community: 5m }")
        let running = try await RunningDaemon.start(broker: broker, files: files)
        try await running.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(try await eventually { try running.store.incidents().count == 1 })

        let tmux = Tmux()
        let command =
            "\(Executables.product("smokegate").path) watch --config \(files.mainFile.path); echo WATCH-EXITED $?; sleep 30"
        _ = try await tmux.run(["new-session", "-d", "-s", "watch", "-x", "160", "-y", "30", command])
        var screen = try await tmux.screen { $0.contains("det-1") && $0.contains("community in") }
        #expect(screen.contains("det-1") && screen.contains("community in"), "\(screen)")
        #expect(screen.contains("smokegated running, connected to 127.0.0.1:\(broker.port)"), "\(screen)")
        #expect(screen.contains("NEW") && screen.contains("北湖小区3栋") && screen.contains("1 not acknowledged"), "\(screen)")

        _ = try await tmux.run(["send-keys", "-t", "watch", key])
        screen = try await tmux.screen { $0.contains("WATCH-EXITED") }
        #expect(screen.contains("WATCH-EXITED 0"), "\(screen)")
        #expect(!screen.contains("det-1"), "the alternate screen is gone: the terminal is restored")
        await tmux.end()
        #expect(await running.process.stop() == 0)
    }

    @Test func aNewFireStaysOnScreenAboveAThousandMaintenanceJobs() async throws {
        let history = try ConsoleHistory.street(newFireAgo: 10)
        try await Tmux.using { try await expectFiresKept(history, $0) }
    }

    private func expectFiresKept(_ history: ConsoleHistory, _ tmux: Tmux) async throws {
        let command = "TZ=Asia/Shanghai \(Executables.product("smokegate").path) watch --config \(history.files.mainFile.path)"
        _ = try await tmux.run(["new-session", "-d", "-s", "watch", "-x", "160", "-y", "30", command])
        _ = try await tmux.run(["new-session", "-d", "-s", "small", "-x", "160", "-y", "7", command])
        let screen = try await tmux.screen { $0.contains("more not shown") }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count >= 30, "\(screen)")
        #expect(lines[0].contains(/SmokeGate duty desk  \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00/), "\(lines[0])")
        #expect(lines[2] == "1,007 unresolved: 2 fire (1 not acknowledged) · 1,005 low_battery", "\(screen)")
        let fire = try #require(lines.firstIndex { $0.contains("det-1") }, "the new fire is on screen: \(screen)")
        let acknowledged = try #require(lines.firstIndex { $0.contains("860000000000001") }, "\(screen)")
        let firstJob = try #require(lines.firstIndex { $0.contains("low_battery") && $0.contains("lb-") }, "\(screen)")
        #expect(fire == 5 && lines[fire].hasPrefix("NEW") && fire < acknowledged && acknowledged < firstJob, "\(screen)")
        // 30 rows: four of header, the table's own, 24 incidents and the line that counts the rest.
        #expect(lines.filter { $0.contains("lb-") }.count == 22, "\(screen)")
        #expect(
            lines.contains { $0.hasPrefix("… 983 more not shown (none of them fires): smokegate alarms --limit 1007") },
            "\(screen)")

        // A screen with room for one incident keeps the newest fire and says another fire is left out.
        let small = try await tmux.screen("small") { $0.contains("more not shown") }
        #expect(small.contains("det-1") && !small.contains("lb-"), "\(small)")
        #expect(small.contains("… 1,006 more not shown (1 of them fires)"), "\(small)")
    }

    @Test func withoutATerminalItSaysWhatToUseInstead() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let result = try await BinaryProcess.run("smokegate", ["watch", "--config", files.mainFile.path])
        #expect(result.status == 1 && result.stderr.contains("watch needs a terminal"))
    }
}
