import Foundation
import SmokeGateConfig
import SmokeGateTestSupport

/// A configuration set generated into a fresh temporary folder and loaded the way
/// `smokegated` loads it. The benchmark needs thousands of registered detectors, spread over
/// a chain with many grids, each at a venue of its own (two detectors at one venue in one grid
/// escalate each other to every tier, which would spoil a measurement of the ladder), and a
/// ladder chosen per measurement; the small fixed set of `TestConfiguration` has neither.
struct BenchConfiguration {
    let folder: URL
    let configuration: GatewayConfiguration

    /// Communities in the generated street, and grids in each community.
    static let communities = 10
    static let gridsPerCommunity = 10

    /// Writes and loads a set for `detectors` registered detectors (`deviceID(1...detectors)`)
    /// on the broker at `port`; `escalation` lists `tier: offset` lines of the fire ladder.
    init(
        port: Int, detectors: Int, escalation: [(tier: String, after: String)], clientID: String = "bench-gw",
        supervision: String = "{ heartbeat: 1m, offline_after: 1h }", communities: Int = communities,
        extra: String = "", gridReceivers: [String] = [], secrets: [(file: String, content: String)] = [],
        sources: [String] = [], extraDevices: [String] = []
    ) throws {
        folder = try TemporaryFolder.make(prefix: "escalation-bench")
        for secret in secrets {
            let path = folder.appendingPathComponent(secret.file).path
            try (secret.content + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)
        }
        let ladder = escalation.map { "  \($0.tier): \($0.after)" }.joined(separator: "\n")
        let main = """
            broker:
              host: 127.0.0.1
              port: \(port)
              client_id: \(clientID)
            database: smokegate.db
            sources:
              - { topic: "smokegate/detectors/+/event", format: native }\(sources.map { "\n  - \($0)" }.joined())
            registry:
              chain: response-chain.yaml
              devices: devices.csv
            escalation:
            \(ladder)
            supervision:
              default: \(supervision)
            dispatch:
              topic_prefix: smokegate/notify
            \(extra)

            """
        try main.write(to: folder.appendingPathComponent("smokegate.yaml"), atomically: true, encoding: .utf8)
        try Self.chain(communities: communities, gridReceivers: gridReceivers).write(
            to: folder.appendingPathComponent("response-chain.yaml"), atomically: true, encoding: .utf8)
        try (Self.devices(detectors, grids: communities * Self.gridsPerCommunity) + extraDevices.map { $0 + "\n" }.joined())
            .write(
                to: folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        configuration = try GatewayConfiguration.load(from: folder.appendingPathComponent("smokegate.yaml").path)
    }

    /// The id of registered detector `index` (from 1).
    static func deviceID(_ index: Int) -> String {
        String(format: "BENCH-%06d", index)
    }

    /// The grid detector `index` is registered in: detectors are dealt round the `grids` grids.
    static func grid(ofDevice index: Int, grids: Int = communities * gridsPerCommunity) -> String {
        let grid = gridIndex(ofDevice: index, grids: grids)
        return String(format: "c%02d-g%02d", grid / gridsPerCommunity + 1, grid % gridsPerCommunity + 1)
    }

    /// The position (from 0) of the grid detector `index` is registered in.
    static func gridIndex(ofDevice index: Int, grids: Int) -> Int { (index - 1) % grids }

    /// One street and station, `communities` communities of `gridsPerCommunity` grids each.
    static func chain(communities: Int = communities, gridReceivers: [String] = []) -> String {
        var text = """
            stations:
              - id: bench-station
                name: Bench fire-rescue station
                contacts: [{ id: bench-station-duty, name: duty room, phone: "0735-0000000" }]
            streets:
              - id: bench-street
                name: Bench street
                station: bench-station
                contacts: [{ id: bench-street-duty, name: command centre, phone: "13800000000" }]
                communities:

            """
        for community in 1...communities {
            let cid = String(format: "c%02d", community)
            text += """
                      - id: \(cid)
                        name: Community \(community)
                        contacts: [{ id: \(cid)-duty, name: duty desk, phone: "13800000001" }]
                        grids:

                """
            for grid in 1...gridsPerCommunity {
                let gid = String(format: "%@-g%02d", cid, grid)
                text += """
                              - id: \(gid)
                                name: Grid \(gid)
                                contacts: [{ id: \(gid)-w, name: grid worker, phone: "13800000002" }]
                                receivers: [\(gridReceivers.joined(separator: ", "))]
                                evacuation:
                                  direction: east through the fire lane
                                  shelter: the square
                                  rescue_route: north gate -> block 3

                    """
            }
        }
        return text
    }

    /// The registry: every detector at a venue of its own.
    static func devices(_ count: Int, grids: Int = communities * gridsPerCommunity) -> String {
        var csv = "device_id,grid,address,venue,venue_type,profile\n"
        for index in 1...max(count, 1) {
            csv +=
                "\(deviceID(index)),\(grid(ofDevice: index, grids: grids)),bench road \(index),bench venue \(index),residential,\n"
        }
        return csv
    }
}
