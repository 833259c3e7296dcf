import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// `cluster:`: several gateways on one PostgreSQL store, each with its own node name and
/// broker session; every rule refused on its line, all at once.
@Suite struct ClusterConfigurationTests {
    static let postgres = "database: postgresql://smokegate@db.example.org/smokegate"

    @Test func aClusterNodeKeepsItsOwnBrokerSession() throws {
        let fixture = try DatabaseFixture(
            """
            \(Self.postgres)
            cluster:
              node: gw-a
              lease: 3s
            """)
        let configuration = try fixture.load()
        #expect(configuration.cluster == ClusterSettings(node: "gw-a", lease: 3))
        #expect(configuration.broker.clientID == "smokegated-gw-a", "{client_id}-{node}")
        #expect(
            configuration.storeSummary
                == "database: PostgreSQL smokegate@db.example.org:5432/smokegate\ncluster: node gw-a, lease 3s, broker client id smokegated-gw-a"
        )
    }

    @Test func theLeaseIsFiveSecondsUnlessSaidAndItsBoundsAreTaken() throws {
        let fixture = try DatabaseFixture(
            """
            \(Self.postgres)
            cluster: { node: North_2.gw }
            """)
        let configuration = try fixture.load()
        #expect(configuration.cluster == ClusterSettings(node: "North_2.gw", lease: 5))
        #expect(ClusterSettings.defaultLease == 5)
        for (lease, seconds) in [("1s", 1.0), ("1500ms", 1.5), ("5m", 300.0)] {
            let bound = try DatabaseFixture("\(Self.postgres)\ncluster: { node: gw-b, lease: \(lease) }")
            #expect(try bound.load().cluster?.lease == seconds, "\(lease)")
        }
        let longest = String(repeating: "n", count: 64)
        #expect(try DatabaseFixture("\(Self.postgres)\ncluster: { node: \(longest) }").load().cluster?.node == longest)
    }

    @Test func theBrokersOwnClientIDIsExtended() throws {
        let fixture = try DatabaseFixture(
            """
            \(Self.postgres)
            cluster: { node: gw-b }
            """)
        let main = fixture.main.replacingOccurrences(of: "client_id: smokegated", with: "client_id: sg-north")
        try main.write(to: fixture.mainFile, atomically: true, encoding: .utf8)
        #expect(try fixture.load().broker.clientID == "sg-north-gw-b")
        let single = try DatabaseFixture(Self.postgres)
        let configuration = try single.load()
        #expect(configuration.cluster == nil && configuration.broker.clientID == "smokegated", "one gateway: as before")
    }

    @Test func aClusterNeedsPostgres() throws {
        let fixture = try DatabaseFixture(
            """
            database: smokegate.db
            cluster:
              node: gw-a
            """)
        let problems = fixture.problems()
        fixture.expectProblem(
            problems, at: "cluster:", "'cluster' needs database: postgresql://… (a SQLite file is one machine's)")
        #expect(problems.count == 1, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func aBadNodeNameIsRefused() throws {
        for node in ["\"gw a\"", "gw/a", "节点", "\"\"", String(repeating: "n", count: 65), "\"gw\\ta\""] {
            let fixture = try DatabaseFixture("\(Self.postgres)\ncluster: { node: \(node) }")
            let problems = fixture.problems()
            let fragment = node == "\"\"" ? "'cluster.node' must not be empty" : "'cluster.node' must be 1 to 64 letters, digits"
            fixture.expectProblem(problems, at: "cluster:", fragment)
            #expect(problems.count == 1, "\(node): \(problems.map(\.description).joined(separator: "\n"))")
        }
        let tab = try DatabaseFixture("\(Self.postgres)\ncluster: { node: \"gw\\ta\" }")
        #expect(tab.problems().first?.message.contains("gwU+0009a") == true, "a control character is shown as its code point")
    }

    /// One run reports each thing wrong under `cluster:` and beside it, each on its line.
    @Test func everyClusterProblemIsReportedAtOnceWithItsLine() throws {
        let fixture = try DatabaseFixture(
            """
            database: smokegate.db
            cluster:
              lease: 500ms
              leader: true
            broker_typo: 1
            """)
        let problems = fixture.problems()
        fixture.expectProblem(problems, at: "cluster:", "'cluster' needs database: postgresql://")
        fixture.expectProblem(problems, at: "lease: 500ms", "'cluster.node' is required")
        fixture.expectProblem(problems, at: "lease: 500ms", "'cluster.lease' must be from 1s to 5m, got '500ms'")
        fixture.expectProblem(problems, at: "leader: true", "unknown key 'cluster.leader' (expected one of: lease, node)")
        fixture.expectProblem(problems, at: "broker_typo", "unknown key 'broker_typo'")
        #expect(problems.count == 5, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func aLeaseOutsideItsBoundsOrNotADurationIsRefused() throws {
        let cases = [
            ("0s", "'cluster.lease' must be from 1s to 5m, got '0s'"),
            ("5m1s", "'cluster.lease' must be from 1s to 5m, got '5m1s'"),
            ("1h", "'cluster.lease' must be from 1s to 5m, got '1h'"),
            ("soon", "'cluster.lease' is not a duration: 'soon'"),
        ]
        for (lease, fragment) in cases {
            let fixture = try DatabaseFixture(
                """
                \(Self.postgres)
                cluster:
                  node: gw-a
                  lease: \(lease)
                """)
            let problems = fixture.problems()
            fixture.expectProblem(problems, at: "lease:", fragment)
            #expect(problems.count == 1, "\(lease): \(problems.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test func clusterMustBeAMapping() throws {
        let fixture = try DatabaseFixture("\(Self.postgres)\ncluster: gw-a")
        fixture.expectProblem(fixture.problems(), at: "cluster:", "cluster must be a mapping")
    }

    /// The commented PostgreSQL lines beside `database:` in the shipped file load as they stand.
    @Test func theShippedExampleLoadsOnceUncommented() throws {
        let shipped = try String(
            contentsOf: ConfigurationTests.packageRoot.appendingPathComponent("config/smokegate.yaml"), encoding: .utf8)
        let lines = shipped.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("# database: \"postgresql://") })
        let example = lines[start...].prefix { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }.joined(separator: "\n")
        let fixture = try DatabaseFixture(example)
        try fixture.secret("database.password", "pa55\n")
        let configuration = try fixture.load()
        #expect(configuration.postgres?.tls == .verifyFull && configuration.postgres?.password == "pa55")
        #expect(configuration.cluster == ClusterSettings(node: "gw-a", lease: 5))
    }

    /// A broken URL is one problem, not two: the cluster meant PostgreSQL, and is not told it needs it.
    @Test func aBrokenPostgresURLIsNotAlsoASQLiteCluster() throws {
        let fixture = try DatabaseFixture(
            """
            database: postgresql://gw@db:99999/smokegate
            cluster: { node: gw-a }
            """)
        let problems = fixture.problems()
        fixture.expectProblem(problems, at: "database:", "a port is a whole number from 1 to 65535")
        #expect(problems.count == 1, "\(problems.map(\.description).joined(separator: "\n"))")
    }
}
