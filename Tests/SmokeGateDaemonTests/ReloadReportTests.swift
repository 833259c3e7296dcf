import SmokeGateConfig
import SmokeGateCore
import Testing

@testable import SmokeGateDaemon

/// What a reload says of settings read only at start: push paths and code tables are
/// routed and built when the daemon starts, so a change to them waits for a restart, and
/// the report says so rather than pretending it took effect.
@Suite struct ReloadReportTests {
    @Test func aChangedPushSourceOrCodeTableNeedsARestart() {
        var old = GatewayConfiguration(file: "smokegate.yaml")
        old.pushSources = [PushSource(path: "/push/ctwing/7f3c9a0d41b2e8c5a6f0", format: .ctwing)]
        var moved = old
        moved.pushSources[0].path = "/push/ctwing/0000000000000000aaaa"
        #expect(ReloadReport(from: old, to: moved).needsRestart == ["sources"])
        var limited = old
        limited.pushSources[0].rateLimit = 10
        #expect(ReloadReport(from: old, to: limited).needsRestart == ["sources"])
        var retabled = old
        retabled.thingModels = ThingModelBook(standard: ThingModel())
        #expect(ReloadReport(from: old, to: retabled).needsRestart == ["thing_models"])
        #expect(ReloadReport(from: old, to: old).needsRestart.isEmpty)
    }

    /// The store is opened, and the lease taken under the node's name, once at start.
    @Test func aMovedStoreOrClusterNeedsARestart() {
        var old = GatewayConfiguration(file: "smokegate.yaml")
        old.postgres = PostgresLocation(host: "db.example.org", user: "smokegate", database: "smokegate", password: "a")
        old.cluster = ClusterSettings(node: "gw-a")
        var moved = old
        moved.postgres?.host = "db2.example.org"
        #expect(ReloadReport(from: old, to: moved).needsRestart == ["database"])
        var rekeyed = old
        rekeyed.postgres?.password = "b"
        #expect(ReloadReport(from: old, to: rekeyed).needsRestart == ["database"])
        var leased = old
        leased.cluster?.lease = 10
        #expect(ReloadReport(from: old, to: leased).needsRestart == ["cluster"])
        var single = old
        single.cluster = nil
        #expect(ReloadReport(from: old, to: single).needsRestart == ["cluster"])
    }
}
