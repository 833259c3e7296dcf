import Foundation
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// Unit ids become a level of their calls' topic (`{topic_prefix}/{tier}/{id}`), as device ids
/// do of their detectors' (`smokegate/detectors/{id}/event`): an id libmosquitto would refuse
/// at every call is reported by `--check-config`, every one at once, with file and line.
@Suite struct TopicLevelTests {
    @Test func everyUnitIdThatIsNotATopicLevelIsReportedAtOnceWithFileAndLine() throws {
        let folder = try TemporaryFolder.make(prefix: "unit-ids")
        try """
        broker: { host: 127.0.0.1 }
        database: x.db
        sources: [{ topic: "smokegate/detectors/+/event", format: native }]
        registry: { chain: chain.yaml, devices: devices.csv }
        dispatch: { topic_prefix: "$SYS/notify" }
        """.write(to: folder.appendingPathComponent("smokegate.yaml"), atomically: true, encoding: .utf8)
        // Line by line: a '/' in the station, a '+' in the street, a '#' in the community, white
        // space, a NUL and a tab in three grids, and two grids whose ids are fine.
        try """
        stations:
          - id: wg/xz
            name: 站
            contacts: [{ id: s-duty, name: 值班室, phone: "1" }]
        streets:
          - id: yong+quan
            name: 涌泉街道
            station: wg/xz
            contacts: [{ id: yq-duty, name: 值班, phone: "2" }]
            communities:
              - id: "c#1"
                name: 社区
                grids:
                  - id: g 1
                    name: 第一网格
                    contacts: [{ id: g1-w, name: 网格员, phone: "3" }]
                  - id: "g\\0two"
                    name: 第二网格
                    contacts: [{ id: g2-w, name: 网格员, phone: "4" }]
                  - id: "网格\\t3"
                    name: 第三网格
                    contacts: [{ id: g3-w, name: 网格员, phone: "5" }]
                  - id: 网格-4
                    name: 第四网格
                    contacts: [{ id: g4-w, name: 网格员, phone: "6" }]
                  - id: $g5
                    name: 第五网格
                    contacts: [{ id: g5-w, name: 网格员, phone: "7" }]
        """.write(to: folder.appendingPathComponent("chain.yaml"), atomically: true, encoding: .utf8)
        try """
        device_id,grid,address,venue,venue_type,profile
        d+1,网格-4,addr,venue,shop,
        d2,网格-4,addr,venue,shop,
        """.write(to: folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        do {
            _ = try GatewayConfiguration.load(from: folder.appendingPathComponent("smokegate.yaml").path)
            Issue.record("a chain whose unit ids are not topic levels loaded")
        } catch {
            let lines = error.problems.map(\.description).joined(separator: "\n")
            func expectProblem(_ file: String, _ line: Int, _ fragment: String) {
                #expect(
                    error.problems.contains { $0.file.hasSuffix(file) && $0.line == line && $0.message.contains(fragment) },
                    "no problem '\(fragment)' at \(file):\(line) in:\n\(lines)")
            }
            expectProblem("chain.yaml", 2, "station id 'wg/xz' contains '/'")
            expectProblem("chain.yaml", 6, "street id 'yong+quan' contains the wildcard '+'")
            expectProblem("chain.yaml", 11, "community id 'c#1' contains the wildcard '#'")
            expectProblem("chain.yaml", 14, "grid id 'g 1' contains white space")
            expectProblem("chain.yaml", 17, "grid id 'gU+0000two' contains the control character U+0000")
            expectProblem("chain.yaml", 20, "grid id '网格U+00093' contains the control character U+0009")
            expectProblem("devices.csv", 2, "device 'd+1' contains the wildcard '+'")
            expectProblem("smokegate.yaml", 5, "'dispatch.topic_prefix' must be a topic without wildcards")
            #expect(
                error.problems.filter { $0.message.contains(" id '") }.count == 6,
                "a '$' inside a topic is no wildcard: only the topic's first level may not begin with it\n\(lines)")
            #expect(error.problems.count == 8, "\(lines)")
        }
    }

    @Test func theShippedChainsAreTopicLevels() throws {
        // The demo set's 38 grids and the production default load: the check refuses nothing real.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for file in ["config/demo/smokegate.yaml", "config/smokegate.yaml"] {
            #expect(throws: Never.self) { try GatewayConfiguration.load(from: root.appendingPathComponent(file).path) }
        }
    }
}
