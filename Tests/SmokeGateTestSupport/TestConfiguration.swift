import Foundation

/// A small but complete configuration set written into a folder: main file, response chain
/// and device registry, pointing at the given broker port.
public struct TestConfiguration {
    public let folder: URL
    public var mainFile: URL { folder.appendingPathComponent("smokegate.yaml") }
    public var databaseFile: URL { folder.appendingPathComponent("smokegate.db") }

    public static let chain = """
        stations:
          - id: wgxz
            name: 武广高铁西站消防救援站
            contacts: [{ id: wgxz-duty, name: 值班室, phone: "0735-0000000" }]
        streets:
          - id: yongquan
            name: 涌泉街道
            station: wgxz
            contacts: [{ id: yq-duty, name: 应急办值班, phone: "13800000000" }]
            communities:
              - id: yq-c01
                name: 某社区
                contacts: [{ id: yq-c01-duty, name: 社区值班, phone: "13800000001" }]
                grids:
                  - id: yq-c01-g01
                    name: 第一网格
                    contacts: [{ id: yq-c01-g01-w, name: 网格员, phone: "13800000002" }]
                    evacuation:
                      direction: 向东经消防通道疏散至广场
                      shelter: 社区文化广场
                      rescue_route: 北湖路 -> 东门 -> 3号楼
        """

    public static let devices = """
        device_id,grid,address,venue,venue_type,profile
        det-1,yq-c01-g01,北湖路1号3栋101室,北湖小区3栋,residential,
        det-2,yq-c01-g01,北湖路1号3栋102室,北湖小区3栋,residential,
        860000000000001,yq-c01-g01,北湖路5号,老李餐馆,restaurant,nbiot
        """

    /// The fire ladder compressed to seconds, as the end-to-end tests watch it.
    public static let compressedLadder = "{ grid: 0s, community: 2s, street: 4s, station: 6s }"
    public static let standardSupervision =
        "{ default: { heartbeat: 1m, offline_after: 5m }, nbiot: { heartbeat: 24h, offline_after: 25h } }"

    /// Writes the set; `clientID` must differ between daemons sharing a broker; `dispatch` is
    /// the `dispatch:` mapping, as flow YAML; `chain` and `devices` replace the small street
    /// above. With `login`, the daemon logs in as that user, its password in `broker.password`
    /// beside the file. `folder` is where to write (nil: a new temporary folder), for sets
    /// whose secret files are written first (`ReceiverSetup`). `pushSources` are more `sources`
    /// entries, as flow YAML (`{ http: /push/…, format: ctwing }`). `database` is the value of
    /// `database:` (a PostgreSQL URL for a cluster's node).
    public init(
        brokerPort: Int, clientID: String = "smokegated-test", escalation: String = compressedLadder,
        supervision: String = standardSupervision, extra: String = "", devices: String = devices,
        dispatch: String = "{ topic_prefix: smokegate/notify }", login: (username: String, password: String)? = nil,
        chain: String = chain, folder: URL? = nil, pushSources: [String] = [], database: String = "smokegate.db"
    ) throws {
        self.folder = try folder ?? TemporaryFolder.make(prefix: "config")
        var credentials = ""
        if let login {
            try (login.password + "\n").write(
                to: self.folder.appendingPathComponent("broker.password"), atomically: true, encoding: .utf8)
            credentials = "\n  username: \(login.username)\n  password_file: broker.password"
        }
        let main = """
            broker:
              host: 127.0.0.1
              port: \(brokerPort)
              client_id: \(clientID)\(credentials)
            database: \(database)
            sources:
              - { topic: "smokegate/detectors/+/event", format: native }
              - { topic: "zigbee2mqtt/+", format: zigbee2mqtt }
              - { topic: "ctwing/smoke/+", format: ctwing }\(pushSources.map { "\n  - \($0)" }.joined())
            registry:
              chain: response-chain.yaml
              devices: devices.csv
            escalation: \(escalation)
            supervision: \(supervision)
            dispatch: \(dispatch)
            \(extra)
            """
        try main.write(to: mainFile, atomically: true, encoding: .utf8)
        try chain.write(to: self.folder.appendingPathComponent("response-chain.yaml"), atomically: true, encoding: .utf8)
        try devices.write(to: self.folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
    }
}
