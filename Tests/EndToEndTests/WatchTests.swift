import Foundation
import SmokeGateTestSupport
import Testing

/// `smokegate watch` driven in a real terminal (tmux on a private socket), its screen read back.
@Suite(.serialized) struct WatchTests {
    /// A tmux server of our own, so no other tmux session is touched; ended with the test.
    struct Tmux {
        let socket = "smokegate-test-\(UUID().uuidString.prefix(8))"

        func run(_ arguments: [String]) async throws -> String {
            let tmux = try Executables.find("tmux", in: ["/usr/bin", "/bin"])
            let output = try TemporaryFolder.make(prefix: "tmux").appendingPathComponent("out")
            let child = try ChildProcess(
                tmux, ["-L", socket] + arguments, standardOutput: output.path, standardError: output.path)
            _ = await child.exit(timeout: 10)
            return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }

        func screen() async throws -> String { try await run(["capture-pane", "-p", "-t", "watch"]) }

        /// Reads the screen until it satisfies `condition` (or 10 s pass); returns the last one.
        func screen(until condition: (String) -> Bool) async throws -> String {
            var screen = ""
            for _ in 0..<100 {
                screen = try await self.screen()
                if condition(screen) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return screen
        }

        func end() async { _ = try? await run(["kill-server"]) }
    }

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

    @Test func withoutATerminalItSaysWhatToUseInstead() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let result = try await BinaryProcess.run("smokegate", ["watch", "--config", files.mainFile.path])
        #expect(result.status == 1 && result.stderr.contains("watch needs a terminal"))
    }
}
