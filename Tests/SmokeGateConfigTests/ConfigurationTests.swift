import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateTestSupport
import Testing

/// Loading and checking the configuration: the shipped sets load, and a broken set
/// reports every problem, each with its file and line.
@Suite struct ConfigurationTests {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func theDemoStreetLoads() throws {
        let configuration = try GatewayConfiguration.load(
            from: Self.packageRoot.appendingPathComponent("config/demo/smokegate.yaml").path)
        #expect(configuration.chain.gridCount == 38)
        #expect(configuration.chain.stations.count == 1)
        #expect(configuration.devices.count == 1_000)
        #expect(configuration.sources.map(\.format) == [.native, .zigbee2mqtt, .ctwing])
        #expect(configuration.ladder.steps.map(\.after) == [.zero, .seconds(3), .seconds(6), .seconds(9)])
        #expect(configuration.profile(named: "nbiot").offlineAfter == .seconds(25 * 3_600))
        #expect(
            configuration.databasePath.hasSuffix("config/demo/smokegate-demo.db"),
            "relative paths resolve against the file's folder")
        #expect(configuration.http == GatewayConfiguration.HTTP(host: "127.0.0.1", port: 9466))
        let placement = try #require(configuration.chain.placement(ofGrid: configuration.devices[0].gridID))
        #expect(placement.station?.id == "wgxz")
        #expect(placement.grid.evacuation != nil)
    }

    @Test func theProductionDefaultLoads() throws {
        let configuration = try GatewayConfiguration.load(
            from: Self.packageRoot.appendingPathComponent("config/smokegate.yaml").path)
        #expect(configuration.ladder == .standard)
        #expect(configuration.databasePath == "/var/lib/smokegate/smokegate.db")
    }

    @Test func everyProblemIsReportedAtOnceWithFileAndLine() throws {
        let folder = try TemporaryFolder.make(prefix: "broken")
        try """
        broker:
          host: 127.0.0.1
          port: 99999
        database: gateway.db
        sources:
          - { topic: "smokegate/detectors/+/event", format: native }
          - { topic: "vendor/#/x", format: native }
          - { topic: "other/+", format: proprietary }
        registry:
          chain: chain.yaml
          devices: devices.csv
        escalation:
          grid: 0s
          community: 3x
        supervision:
          default: { heartbeat: 1m, offline_after: 30s }
        escalaton:
          street: 10m
        """.write(to: folder.appendingPathComponent("smokegate.yaml"), atomically: true, encoding: .utf8)
        try """
        stations:
          - id: wgxz
            name: 站
            contacts: [{ id: s-duty, name: 值班室, phone: "1" }]
        streets:
          - id: yongquan
            name: 涌泉街道
            station: nowhere
            contacts: [{ id: yq-duty, name: 值班, phone: "2" }]
            communities:
              - id: c1
                name: 社区
                grids:
                  - id: g1
                    name: 第一网格
                    contacts: [{ id: g1-w, name: 网格员, phone: "3" }]
                  - id: g1
                    name: 重复网格
                    contacts: [{ id: g1-w2, name: 网格员, phone: "4" }]
        """.write(to: folder.appendingPathComponent("chain.yaml"), atomically: true, encoding: .utf8)
        try """
        device_id,grid,address,venue,venue_type,profile
        d1,g1,addr,venue,shop,
        d1,g1,addr,venue,shop,
        d2,g9,addr,venue,shop,
        d3,g1,addr,venue,shop,solar
        """.write(to: folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("smokegate.yaml").path
        do {
            _ = try GatewayConfiguration.load(from: path)
            Issue.record("a broken configuration loaded")
        } catch {
            let lines = error.problems.map(\.description)
            func expectProblem(_ file: String, _ line: Int?, _ fragment: String) {
                let found = error.problems.contains {
                    $0.file.hasSuffix(file) && $0.line == line && $0.message.contains(fragment)
                }
                #expect(
                    found,
                    "no problem '\(fragment)' at \(file):\(line.map(String.init) ?? "-") in:\n\(lines.joined(separator: "\n"))")
            }
            expectProblem("smokegate.yaml", 3, "port")
            expectProblem("smokegate.yaml", 7, "'#' may only be the last level")
            expectProblem("smokegate.yaml", 8, "'proprietary' is not a known format")
            expectProblem("smokegate.yaml", 14, "'escalation.community' is not a duration: '3x'")
            expectProblem("smokegate.yaml", 16, "must be longer than its heartbeat")
            expectProblem("smokegate.yaml", 17, "unknown key 'escalaton'")
            expectProblem("chain.yaml", 8, "names unknown station 'nowhere'")
            expectProblem("chain.yaml", 17, "duplicate id 'g1'")
            expectProblem("devices.csv", 3, "duplicate device 'd1' (first on line 2)")
            expectProblem("devices.csv", 4, "unknown grid 'g9'")
            expectProblem("devices.csv", 5, "unknown supervision profile 'solar'")
            #expect(error.problems.count == 11, "\(lines.joined(separator: "\n"))")
            let registryLines = error.problems.filter { $0.file.hasSuffix("devices.csv") }.compactMap(\.line)
            #expect(registryLines == registryLines.sorted(), "the registry's problems in line order, grid checks included")
        }
    }

    @Test func aRegistryFieldThatIsNotUTF8IsNamedByLine() throws {
        let folder = try TemporaryFolder.make(prefix: "encoding")
        try """
        broker: { host: 127.0.0.1 }
        database: x.db
        sources: [{ topic: "a/+", format: native }]
        registry: { chain: chain.yaml, devices: devices.csv }
        """.write(to: folder.appendingPathComponent("smokegate.yaml"), atomically: true, encoding: .utf8)
        try """
        stations: []
        streets:
          - { id: s, name: 街道, contacts: [], communities: [{ id: c, name: 社区, contacts: [], grids: [{ id: g1, name: 网格, contacts: [] }] }] }
        """.write(to: folder.appendingPathComponent("chain.yaml"), atomically: true, encoding: .utf8)
        // Line 3 is GBK, as a spreadsheet exported on a Chinese desktop may write it.
        var csv = Data("device_id,grid,address,venue,venue_type,profile\nd1,g1,北湖路1号,北湖,shop,\nd2,g1,".utf8)
        csv += Data([0xB1, 0xB1, 0xBA, 0xFE])
        csv += Data(",venue,shop,\n".utf8)
        try csv.write(to: folder.appendingPathComponent("devices.csv"))
        do {
            _ = try GatewayConfiguration.load(from: folder.appendingPathComponent("smokegate.yaml").path)
            Issue.record("loaded")
        } catch {
            #expect(
                error.problems.map(\.description).contains {
                    $0.hasSuffix("devices.csv:3: not valid CSV: a field is not UTF-8 text")
                })
        }
    }

    @Test func missingFilesAreNamed() throws {
        let folder = try TemporaryFolder.make(prefix: "missing")
        try """
        broker: { host: 127.0.0.1 }
        database: x.db
        sources: [{ topic: "a/+", format: native }]
        registry: { chain: nowhere.yaml, devices: nothing.csv }
        """.write(to: folder.appendingPathComponent("smokegate.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try GatewayConfiguration.load(from: folder.appendingPathComponent("smokegate.yaml").path)
            Issue.record("loaded")
        } catch {
            #expect(error.problems.contains { $0.file.hasSuffix("nowhere.yaml") && $0.message == "file not found" })
            #expect(error.problems.contains { $0.file.hasSuffix("nothing.csv") && $0.message == "file not found" })
        }
    }

    @Test func theConfigurationIsFoundWhereTheContractSays() {
        #expect(GatewayConfiguration.locate(explicit: "a.yaml", environment: ["SMOKEGATE_CONFIG": "b.yaml"]) == "a.yaml")
        #expect(GatewayConfiguration.locate(explicit: nil, environment: ["SMOKEGATE_CONFIG": "b.yaml"]) == "b.yaml")
        #expect(GatewayConfiguration.locate(explicit: nil, environment: [:]) == "/etc/smokegate/smokegate.yaml")
    }
}
