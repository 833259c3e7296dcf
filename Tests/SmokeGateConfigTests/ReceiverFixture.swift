import Foundation
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// A configuration set with receivers, written into a fresh folder: the main file, a chain,
/// a device registry, and secret files under `secrets/` (mode 0600 unless a test says
/// otherwise), so each test reads like the files an operator would write.
struct ReceiverFixture {
    let folder: URL
    let main: String
    let chain: String
    var mainFile: URL { folder.appendingPathComponent("smokegate.yaml") }

    /// `receivers` is appended to a small valid main file (its `http:` included unless
    /// `http` is false); `chain` replaces the response chain.
    init(_ receivers: String, chain: String = ReceiverFixture.chain, http: Bool = true) throws {
        folder = try TemporaryFolder.make(prefix: "receivers")
        main = """
            broker: { host: 127.0.0.1, port: 1883 }
            database: smokegate.db
            sources: [{ topic: "smokegate/detectors/+/event", format: native }]
            registry: { chain: response-chain.yaml, devices: devices.csv }
            \(http ? "http: { listen: \"127.0.0.1:9466\" }" : "")
            \(receivers)
            """
        self.chain = chain
        try main.write(to: mainFile, atomically: true, encoding: .utf8)
        try chain.write(to: folder.appendingPathComponent("response-chain.yaml"), atomically: true, encoding: .utf8)
        try "device_id,grid,address,venue,venue_type,profile\nd1,g1,北湖路1号,北湖小区,residential,\n".write(
            to: folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("secrets"), withIntermediateDirectories: true)
    }

    /// Writes `secrets/NAME` with `text` and `mode`.
    func secret(_ name: String, _ text: String, mode: Int = 0o600) throws {
        let url = folder.appendingPathComponent("secrets").appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    func load(readingSecrets: Bool = true) throws -> GatewayConfiguration {
        try GatewayConfiguration.load(from: mainFile.path, readingSecrets: readingSecrets)
    }

    /// The problems loading reports (none when it loads).
    func problems() -> [ConfigurationProblem] {
        do {
            _ = try GatewayConfiguration.load(from: mainFile.path)
            return []
        } catch {
            return error.problems
        }
    }

    /// The 1-based line of the first line of `text` holding `marker`.
    static func line(of marker: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(marker) }.map { $0 + 1 }
    }

    /// Expects a problem in `file` (a suffix) on the line holding `marker` whose message holds `fragment`.
    func expectProblem(
        _ problems: [ConfigurationProblem], inChain: Bool = false, at marker: String, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (file, text) = inChain ? ("response-chain.yaml", chain) : ("smokegate.yaml", main)
        let line = Self.line(of: marker, in: text)
        #expect(line != nil, "no line holds '\(marker)'", sourceLocation: sourceLocation)
        let found = problems.contains { $0.file.hasSuffix(file) && $0.line == line && $0.message.contains(fragment) }
        #expect(
            found,
            "no problem '\(fragment)' at \(file):\(line.map(String.init) ?? "?") in:\n\(problems.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    /// One street, one community, one grid, one station; each unit with a phone.
    static let chain = """
        stations:
          - { id: wgxz, name: 消防救援站, contacts: [{ id: s-duty, name: 值班室, phone: "0735-0000000" }], receivers: [voice] }
        streets:
          - id: yongquan
            name: 涌泉街道
            station: wgxz
            contacts: [{ id: yq-duty, name: 应急办值班, phone: "13800000000" }]
            receivers: [street-ding, duty-desk]
            communities:
              - id: c1
                name: 某社区
                contacts: [{ id: c1-duty, name: 社区值班, phone: "13800000001" }]
                receivers: [sms, ops-feishu]
                grids:
                  - id: g1
                    name: 第一网格
                    contacts: [{ id: g1-w, name: 网格员, phone: "13800000002" }]
                    receivers: [grid-wecom, sms]
        """
}
