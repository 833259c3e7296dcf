import Foundation
import SmokeGateTestSupport
import Testing

/// Durations an operator types or a configuration holds that overflow, or that parse but
/// reach absurdly far: the built binaries refuse each with a message that names the option
/// or the key, and none of them traps.
@Suite struct HugeDurationTests {
    /// A sum of days that overflows 64-bit milliseconds, and one that fits but spans 273
    /// million years.
    static let overflowing = "99999999999d99999999999d"
    static let huge = "99999999999d"

    func expectRefused(_ arguments: [String], saying fragment: String) async throws {
        let result = try await BinaryProcess.run("smokegate", arguments)
        let command = "smokegate \(arguments.joined(separator: " "))"
        #expect(result.status == 64, "\(command) exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(fragment), "\(command): \(result.stderr)")
        #expect(!result.stderr.contains("Swift runtime failure") && !result.stderr.contains("Backtracing"), "\(command) trapped")
    }

    @Test func reportSince() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let config = ["--config", files.mainFile.path]
        try await expectRefused(
            ["report", "--since", Self.overflowing] + config,
            saying: "--since must be a duration such as 30d, 7d or 12h, got '\(Self.overflowing)'")
        try await expectRefused(
            ["report", "--since", Self.huge] + config, saying: "--since reaches back too far: '\(Self.huge)' (at most 36500d")
    }

    @Test func silenceFor() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        for length in [Self.overflowing, Self.huge] {
            try await expectRefused(
                [
                    "silence", "add", "--device", "det-1", "--for", length, "--reason", "装修", "--by", "王伟", "--config",
                    files.mainFile.path,
                ],
                saying: "--for must be a positive duration of at most 30d, such as 30m, 4h or 2d; got '\(length)'")
        }
    }

    @Test func watchInterval() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        for interval in [Self.overflowing, Self.huge] {
            try await expectRefused(
                ["watch", "--interval", interval, "--config", files.mainFile.path],
                saying: "--interval must be a duration from 100ms to 60s, got '\(interval)'")
        }
    }

    @Test func configuration() async throws {
        let files = try TestConfiguration(
            brokerPort: 1883, escalation: "{ grid: 0s, community: \(Self.huge) }",
            supervision:
                "{ default: { heartbeat: 1m, offline_after: \(Self.overflowing) }, nbiot: { heartbeat: 24h, offline_after: 25h } }",
            extra: "retention: { events: \(Self.huge) }")
        let result = try await BinaryProcess.run("smokegated", ["--check-config", "--config", files.mainFile.path])
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.contains { $0.contains("'escalation.community' is too long: '\(Self.huge)' (at most 36500d") })
        #expect(lines.contains { $0.contains("'supervision.default.offline_after' is not a duration: '\(Self.overflowing)'") })
        #expect(lines.contains { $0.contains("'retention.events' is too long") })
        // The console loads the same configuration, and says the same.
        let alarms = try await BinaryProcess.run("smokegate", ["alarms", "--config", files.mainFile.path])
        #expect(alarms.status == 1 && alarms.stderr.contains("'escalation.community' is too long"), "\(alarms.stderr)")
    }
}
