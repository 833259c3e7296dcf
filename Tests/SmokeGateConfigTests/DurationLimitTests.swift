import Foundation
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// Durations in the configuration are added to dates and slept on: a huge one is refused
/// with its key and line, never left to trap the daemon later.
@Suite struct DurationLimitTests {
    @Test func aDurationTooLongOrTooLargeToParseIsNamed() throws {
        let files = try TestConfiguration(
            brokerPort: 1883, escalation: "{ grid: 0s, station: 99999999999d }",
            supervision:
                "{ default: { heartbeat: 1m, offline_after: 99999999999d99999999999d }, nbiot: { heartbeat: 24h, offline_after: 25h } }",
            extra: "retention: { events: 36501d, rejected: 36500d }")
        #expect {
            try GatewayConfiguration.load(from: files.mainFile.path)
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems.map(\.description) ?? []
            return problems.count == 3
                && problems.contains { $0.contains("'escalation.station' is too long: '99999999999d' (at most 36500d") }
                && problems.contains {
                    $0.contains("'supervision.default.offline_after' is not a duration: '99999999999d99999999999d'")
                }
                && problems.contains { $0.contains("'retention.events' is too long: '36501d'") }
        }
    }
}
