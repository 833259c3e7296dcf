import Foundation
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// `retention`: how long history is kept, checked like every other duration.
@Suite struct RetentionConfigurationTests {
    @Test func retentionIsReadAndTooShortAWindowRefused() throws {
        let good = try TestConfiguration(
            brokerPort: 1883, extra: "retention: { events: 90d, rejected: 7d, outbox: 2d, incidents: 180d }")
        let configuration = try GatewayConfiguration.load(from: good.mainFile.path)
        #expect(
            configuration.retention.events == .seconds(90 * 86_400) && configuration.retention.rejected == .seconds(7 * 86_400))
        #expect(
            configuration.retention.outbox == .seconds(2 * 86_400) && configuration.retention.incidents == .seconds(180 * 86_400))
        let defaults = try GatewayConfiguration.load(from: try TestConfiguration(brokerPort: 1883).mainFile.path).retention
        #expect(defaults.outbox == .seconds(7 * 86_400) && defaults.incidents == .seconds(90 * 86_400))
        let bad = try TestConfiguration(
            brokerPort: 1883, extra: "retention: { events: 1h, rejected: soon, history: 1d, outbox: 12h, incidents: 36501d }")
        #expect {
            try GatewayConfiguration.load(from: bad.mainFile.path)
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems.map(\.description) ?? []
            return problems.count == 5 && problems.contains { $0.contains("'retention.events' must be at least 1d") }
                && problems.contains { $0.contains("'retention.rejected' is not a duration") }
                && problems.contains { $0.contains("history") }
                && problems.contains { $0.contains("'retention.outbox' must be at least 1d, got '12h'") }
                && problems.contains { $0.contains("'retention.incidents' is too long: '36501d'") }
        }
    }
}
