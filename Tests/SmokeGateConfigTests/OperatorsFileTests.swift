import Foundation
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// `operators.yaml`, the web console's accounts: what `smokegate operator` writes reads back
/// as written, and a hand-edited file's problems are reported all at once, each on its line;
/// to the daemon they are warnings, never a reason not to start. The duty officer's commands
/// never read it.
@Suite struct OperatorsFileTests {
    static let hash = "$2b$12$KiFqI9z.TKPiD.6LHwM54./d5QeOqkURmjjVQiBaWmfM3BBAPJ.oq"

    @Test func whatIsWrittenReadsBackAsWritten() throws {
        let folder = try TemporaryFolder.make(prefix: "operators")
        let path = folder.appendingPathComponent("operators.yaml").path
        let accounts = [
            OperatorAccount(name: "wang.wei", displayName: "王伟 \"老王\": 值班 # 一班", role: .duty, passwordHash: Self.hash),
            OperatorAccount(name: "wall", displayName: "指挥中心大屏\\左", role: .viewer, passwordHash: Self.hash),
        ]
        try OperatorsFile.render(accounts).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try OperatorsFile.read(path) == accounts)
        try OperatorsFile.render([]).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try OperatorsFile.read(path).isEmpty, "every account removed leaves a valid, empty file")
    }

    @Test func everyProblemOfAHandEditedFileIsReportedOnItsLine() throws {
        let folder = try TemporaryFolder.make(prefix: "operators")
        let path = folder.appendingPathComponent("operators.yaml").path
        try """
        operators:
          - name: Wang Wei
            role: duty
            password_hash: "\(Self.hash)"
          - name: li.na
            role: boss
            password_hash: "\(Self.hash)"
          - name: li.na
            role: viewer
            password_hash: hunter2
            colour: red
          - role: duty
            display_name: ""
        owner: root

        """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try OperatorsFile.read(path, displayName: "operators.yaml")
            Issue.record("a broken file must not load")
        } catch {
            let lines = error.problems.map(\.description)
            for expected in [
                "operators.yaml:2: 'operators[0].name': a login name starts with a letter a-z",
                "operators.yaml:6: 'operators[1].role' must be duty or viewer, got 'boss'",
                "operators.yaml:8: duplicate operator 'li.na' (first on line 5)",
                "operators.yaml:10: 'operators[2].password_hash' is not a bcrypt hash",
                "operators.yaml:11: unknown key 'operators[2].colour'",
                "'operators[3].name' is required", "'operators[3].password_hash' is required",
                "operators.yaml:13: 'operators[3].display_name'", "operators.yaml:14: unknown key 'owner'",
            ] {
                #expect(lines.contains { $0.hasPrefix(expected) || $0.contains(expected) }, "missing \(expected) in \(lines)")
            }
            #expect(!lines.joined().contains("hunter2"), "a mistyped hash may be a password: never quoted")
        }
    }

    @Test func theDaemonReadsTheAccountsAndTheConsoleCommandsDoNot() throws {
        let files = try TestConfiguration(brokerPort: 1883, extra: "operators: operators.yaml")
        let path = files.folder.appendingPathComponent("operators.yaml").path
        // Named before it exists: the first account is added after the configuration names the file.
        let unborn = try GatewayConfiguration.load(from: files.mainFile.path)
        #expect(unborn.operatorsFile == path && unborn.operators.isEmpty)

        let account = OperatorAccount(name: "wang.wei", displayName: "王伟", role: .duty, passwordHash: Self.hash)
        try OperatorsFile.render([account]).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try GatewayConfiguration.load(from: files.mainFile.path).operators == [account])
        let console = try GatewayConfiguration.load(from: files.mainFile.path, readingSecrets: false)
        #expect(console.operatorsFile == path && console.operators.isEmpty, "password hashes are the daemon's alone")

        // A broken accounts file concerns the console alone: the daemon starts (fires must be
        // called), warns of each problem on its line, and uses no account until it is fixed.
        try "operators:\n  - name: wang.wei\n    role: chief\n    password_hash: x\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let broken = try GatewayConfiguration.load(from: files.mainFile.path)
        #expect(broken.operators.isEmpty)
        let warnings = broken.warnings.map(\.warningDescription)
        #expect(
            warnings.contains {
                $0.contains("operators.yaml:3: warning: 'operators[0].role' must be duty or viewer, got 'chief'")
                    && $0.contains("no console account is used until it is fixed")
            }, "\(warnings)")
        #expect(warnings.contains { $0.contains("operators.yaml:4: warning: 'operators[0].password_hash' is not a bcrypt hash") })
        let commands = try GatewayConfiguration.load(from: files.mainFile.path, readingSecrets: false)
        #expect(!commands.warnings.contains { $0.file.contains("operators.yaml") }, "the console's commands never open it")
    }

    @Test func anEmptyOperatorsKeyIsAProblem() throws {
        let files = try TestConfiguration(brokerPort: 1883, extra: "operators: \"\"")
        #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(from: files.mainFile.path) }
    }

    @Test func namesAndPasswordsFollowTheirRules() {
        #expect(OperatorName.problem(with: "wang.wei") == nil && OperatorName.problem(with: "a1_b-c") == nil)
        for bad in ["", "Wang", "1wang", "wang wei", "王伟", ".x", String(repeating: "a", count: 33)] {
            #expect(OperatorName.problem(with: bad) != nil, "'\(bad)' must not be a login name")
        }
        #expect(OperatorName.problem(withDisplay: "王伟") == nil)
        #expect(OperatorName.problem(withDisplay: "  ") != nil && OperatorName.problem(withDisplay: "a\u{7}b") != nil)

        #expect(PasswordRules.problem(with: "correct horse battery", for: "wang.wei") == nil)
        #expect(PasswordRules.problem(with: "火警值班室密码一二三", for: "wang.wei") == nil, "ten characters of any script")
        #expect(PasswordRules.problem(with: "short", for: "wang.wei")?.contains("at least 10") == true)
        #expect(PasswordRules.problem(with: "my-WANG.WEI-pass", for: "wang.wei")?.contains("login name") == true)
        #expect(PasswordRules.problem(with: "aaaaaaaaaaaa", for: "wang.wei")?.contains("4 different") == true)
        let long = String(repeating: "密", count: 25)
        #expect(PasswordRules.problem(with: long, for: "wang.wei")?.contains("at most 72 bytes") == true)
    }

    @Test func onlyTheShapeOfABcryptHashPasses() {
        #expect(BcryptHash.isWellFormed(Self.hash))
        #expect(BcryptHash.isWellFormed("$2a$04$" + String(repeating: "a", count: 53)))
        for bad in [
            "", "hunter2", String(Self.hash.dropLast()), Self.hash + "x", "$2b$03$" + String(repeating: "a", count: 53),
            "$2b$32$" + String(repeating: "a", count: 53), "$2x$12$" + String(repeating: "a", count: 53),
            "$2b$12$" + String(repeating: "!", count: 53),
        ] {
            #expect(!BcryptHash.isWellFormed(bad), "'\(bad)'")
        }
    }
}
