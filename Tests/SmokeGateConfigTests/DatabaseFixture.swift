import Foundation
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// A small valid configuration whose store keys a test writes: `keys` (the `database:`,
/// `database_password_file` and `cluster:` lines, or anything else) is appended to a main file
/// without a database, beside a chain and a registry, so each test reads like the file an
/// operator would write. Secret files go under `secrets/`.
struct DatabaseFixture {
    let folder: URL
    let main: String
    var mainFile: URL { folder.appendingPathComponent("smokegate.yaml") }

    init(_ keys: String) throws {
        let receivers = try ReceiverFixture("", chain: ReceiverConfigurationTests.chainWithoutReceivers, http: false)
        folder = receivers.folder
        main = """
            broker: { host: 127.0.0.1, port: 1883, client_id: smokegated }
            sources: [{ topic: "smokegate/detectors/+/event", format: native }]
            registry: { chain: response-chain.yaml, devices: devices.csv }
            \(keys)
            """
        try main.write(to: mainFile, atomically: true, encoding: .utf8)
    }

    /// Writes `secrets/NAME` with `text` and `mode`.
    func secret(_ name: String, _ text: String, mode: Int = 0o600) throws {
        let url = folder.appendingPathComponent("secrets").appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    func load(readingSecrets: Bool = true) throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfiguration.load(from: mainFile.path, readingSecrets: readingSecrets)
    }

    /// The problems loading reports (none when it loads).
    func problems() -> [ConfigurationProblem] {
        do {
            _ = try load()
            return []
        } catch {
            return error.problems
        }
    }

    /// Expects a problem on the line of the main file holding `marker` whose message holds `fragment`.
    func expectProblem(
        _ problems: [ConfigurationProblem], at marker: String, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let line = ReceiverFixture.line(of: marker, in: main)
        #expect(line != nil, "no line holds '\(marker)'", sourceLocation: sourceLocation)
        let found = problems.contains { $0.file.hasSuffix("smokegate.yaml") && $0.line == line && $0.message.contains(fragment) }
        #expect(
            found,
            "no problem '\(fragment)' at smokegate.yaml:\(line.map(String.init) ?? "?") in:\n\(problems.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }
}
