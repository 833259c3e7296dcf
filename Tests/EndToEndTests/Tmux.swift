import Foundation
import SmokeGateTestSupport

/// A real terminal for a console command: a tmux server of our own (a private socket), so no
/// other tmux session is touched; ended with the test. Its screen is read back as text.
struct Tmux {
    let socket = "smokegate-test-\(UUID().uuidString.prefix(8))"

    /// Runs `body` with a tmux server of its own, ended however the checks go: a failed
    /// `#require` must not leave it running.
    static func using(_ body: (Tmux) async throws -> Void) async throws {
        let tmux = Tmux()
        do { try await body(tmux) } catch {
            await tmux.end()
            throw error
        }
        await tmux.end()
    }

    func run(_ arguments: [String]) async throws -> String {
        let tmux = try Executables.find("tmux", in: ["/usr/bin", "/bin"])
        let output = try TemporaryFolder.make(prefix: "tmux").appendingPathComponent("out")
        let child = try ChildProcess(
            tmux, ["-L", socket] + arguments, standardOutput: output.path, standardError: output.path)
        _ = await child.exit(timeout: 10)
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    func screen(_ session: String = "watch") async throws -> String {
        try await run(["capture-pane", "-p", "-t", session])
    }

    /// Reads the screen until it satisfies `condition` (or 10 s pass); returns the last one.
    func screen(_ session: String = "watch", until condition: (String) -> Bool) async throws -> String {
        var screen = ""
        for _ in 0..<100 {
            screen = try await self.screen(session)
            if condition(screen) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return screen
    }

    func end() async { _ = try? await run(["kill-server"]) }
}
