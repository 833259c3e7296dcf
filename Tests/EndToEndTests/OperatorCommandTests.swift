import Foundation
import HummingbirdBcrypt
import SmokeGateConfig
import SmokeGateTestSupport
import Testing

/// `smokegate operator`: the web console's accounts kept in the file `operators:` names,
/// through the real binary. Passwords end up only as bcrypt hashes that verify; a refused
/// change leaves the file as it was; the file never opens up to others.
@Suite struct OperatorCommandTests {
    /// A configuration naming `operators.yaml` beside it, and a way to run the command on it.
    struct Desk {
        let files: TestConfiguration
        var accountsFile: String { files.folder.appendingPathComponent("operators.yaml").path }

        init() throws {
            files = try TestConfiguration(brokerPort: 1883, extra: "operators: operators.yaml")
        }

        /// `smokegate operator ARGUMENTS`, the password (if any) given in a file of its own.
        func run(_ arguments: [String], password: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await Self.run(arguments, password: password, config: files.mainFile.path)
        }

        /// The same from a task of a group: only the configuration's path crosses over.
        static func run(_ arguments: [String], password: String?, config: String) async throws -> (
            status: Int32, stdout: String, stderr: String
        ) {
            var extra: [String] = []
            if let password {
                let folder = (config as NSString).deletingLastPathComponent
                let file = "\(folder)/password-\(UUID().uuidString.prefix(8))"
                try (password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                extra = ["--password-file", file]
            }
            return try await BinaryProcess.run("smokegate", ["operator"] + arguments + extra + ["--config", config])
        }

        func accounts() throws -> [OperatorAccount] { try OperatorsFile.read(accountsFile) }
        func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: accountsFile)) }
        func mode() throws -> Int? { try FileManager.default.attributesOfItem(atPath: accountsFile)[.posixPermissions] as? Int }
    }

    @Test func anAccountIsAddedWithAHashThatVerifiesAndListedWithoutIt() async throws {
        let desk = try Desk()
        let added = try await desk.run(
            ["add", "wang.wei", "--display-name", "王伟"], password: "correct horse battery")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("added operator wang.wei (王伟, duty) to \(desk.accountsFile)"))
        let wall = try await desk.run(["add", "screen", "--role", "viewer", "--display-name", "指挥中心大屏"], password: "大屏幕值守口令2026")
        #expect(wall.status == 0, "\(wall.stderr)")

        let accounts = try desk.accounts()
        #expect(accounts.map(\.name) == ["wang.wei", "screen"] && accounts.map(\.role) == [.duty, .viewer])
        #expect(Bcrypt.verify("correct horse battery", hash: accounts[0].passwordHash))
        #expect(!Bcrypt.verify("correct horse batter", hash: accounts[0].passwordHash))
        #expect(Bcrypt.verify("大屏幕值守口令2026", hash: accounts[1].passwordHash))
        #expect(accounts[0].passwordHash.hasPrefix("$2b$12$"), "bcrypt at cost 12")
        let text = String(decoding: try desk.bytes(), as: UTF8.self)
        #expect(!text.contains("correct horse battery"), "the password itself is never written")
        #expect(try desk.mode() == 0o640, "a new accounts file is the owner's and the daemon's group's, whatever the umask")

        let listed = try await desk.run(["list", "--json"])
        #expect(listed.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: String]])
        #expect(
            rows == [
                ["name": "wang.wei", "display_name": "王伟", "role": "duty"],
                ["name": "screen", "display_name": "指挥中心大屏", "role": "viewer"],
            ])
        let table = try await desk.run(["list"])
        #expect(table.stdout.contains("wang.wei") && table.stdout.contains("指挥中心大屏") && !table.stdout.contains("$2b$"))
    }

    @Test func aPasswordChangeReplacesTheHashAndKeepsTheFilesMode() async throws {
        let desk = try Desk()
        #expect(try await desk.run(["add", "li.na"], password: "first password 1").status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: desk.accountsFile)
        let changed = try await desk.run(["passwd", "li.na"], password: "second password 2")
        #expect(changed.status == 0, "\(changed.stderr)")
        let hash = try #require(try desk.accounts().first?.passwordHash)
        #expect(Bcrypt.verify("second password 2", hash: hash) && !Bcrypt.verify("first password 1", hash: hash))
        #expect(try desk.mode() == 0o600, "a file the administrator closed further stays closed")
        let nobody = try await desk.run(["passwd", "zhao"], password: "some password 3")
        #expect(nobody.status == 1 && nobody.stderr.contains("no operator 'zhao' in \(desk.accountsFile)"))
    }

    @Test func refusedChangesLeaveTheFileAsItWas() async throws {
        let desk = try Desk()
        #expect(try await desk.run(["add", "wang.wei"], password: "correct horse battery").status == 0)
        let before = try desk.bytes()
        let refusals: [([String], String?, String)] = [
            (["add", "wang.wei"], "another good password", "operator 'wang.wei' exists"),
            (["add", "li.na"], "short", "a password has at least 10 characters, this one 5; nothing was changed"),
            (["add", "li.na"], "li.na's password", "a password must not contain the login name"),
            (["add", "Li Na"], "another good password", "a login name starts with a letter a-z"),
            (["add", "li.na", "--role", "chief"], "another good password", "chief"),
            (["remove", "wang.wei"], nil, "'wang.wei' is the last duty account"),
            (["add", "li.na"], nil, "no terminal to ask the password on: pass --password-file FILE"),
        ]
        for (arguments, password, message) in refusals {
            let result = try await desk.run(arguments, password: password)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(try desk.bytes() == before, "\(arguments) changed the file")
        }
        let forced = try await desk.run(["remove", "wang.wei", "--force"])
        #expect(forced.status == 0 && forced.stdout.contains("removed operator wang.wei"))
        #expect(try desk.accounts().isEmpty)
    }

    @Test func aHandBrokenFileIsReportedWholeAndNotRewritten() async throws {
        let desk = try Desk()
        let broken = "operators:\n  - name: wang.wei\n    role: boss\n    password_hash: x\n"
        try broken.write(toFile: desk.accountsFile, atomically: true, encoding: .utf8)
        let result = try await desk.run(["add", "li.na"], password: "another good password")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot use \(desk.accountsFile); fix it by hand"))
        #expect(result.stderr.contains(":3: 'operators[0].role' must be duty or viewer, got 'boss'"))
        #expect(result.stderr.contains(":4: 'operators[0].password_hash' is not a bcrypt hash"))
        #expect(String(decoding: try desk.bytes(), as: UTF8.self) == broken)
        let check = try await BinaryProcess.run("smokegated", ["--check-config", "--config", desk.files.mainFile.path])
        #expect(check.status == 0, "the daemon starts: fires come first")
        #expect(check.stderr.contains(":3: warning: 'operators[0].role' must be duty or viewer"), "\(check.stderr)")
        #expect(check.stdout.contains("0 account(s)"), "\(check.stdout)")
    }

    @Test func concurrentAddsEachLand() async throws {
        let desk = try Desk()
        let config = desk.files.mainFile.path
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<4 {
                group.addTask {
                    try await Desk.run(["add", "duty\(index)"], password: "a good password \(index)", config: config).status
                }
            }
            for try await status in group { #expect(status == 0) }
        }
        #expect(Set(try desk.accounts().map(\.name)) == ["duty0", "duty1", "duty2", "duty3"])
    }

    @Test func withoutAnAccountsFileTheCommandSaysWhatToAdd() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let result = try await BinaryProcess.run("smokegate", ["operator", "list", "--config", files.mainFile.path])
        #expect(result.status == 1 && result.stderr.contains("names no accounts file: add 'operators: operators.yaml'"))
        let check = try await BinaryProcess.run("smokegated", ["--check-config", "--config", files.mainFile.path])
        #expect(check.status == 0 && !check.stdout.contains("operators:"))
    }

    /// At a terminal, the password is asked twice and never shown; two that differ change
    /// nothing; ^C at the prompt gives the terminal its echo back.
    @Test func atATerminalThePasswordIsAskedTwiceUnseen() async throws {
        let desk = try Desk()
        try await Tmux.using { try await typeAtTheTerminal(desk, $0) }
    }

    private func typeAtTheTerminal(_ desk: Desk, _ tmux: Tmux) async throws {
        let smokegate = Executables.product("smokegate").path
        let config = desk.files.mainFile.path
        func session(_ name: String, _ command: String) async throws {
            _ = try await tmux.run(["new-session", "-d", "-s", name, "-x", "120", "-y", "20", command + "; sleep 30"])
        }
        func type(_ name: String, _ keys: String...) async throws {
            _ = try await tmux.run(["send-keys", "-t", name] + keys)
        }
        /// Answers both prompts of session `name`; returns the screen once the command has ended.
        func answer(_ name: String, _ first: String, then second: String) async throws -> String {
            _ = try await tmux.screen(name) { $0.contains("New password for wang.wei:") }
            try await type(name, first, "Enter")
            _ = try await tmux.screen(name) { $0.contains("The same password again:") }
            try await type(name, second, "Enter")
            return try await tmux.screen(name) { $0.contains("EXITED") }
        }

        try await session("add", "\(smokegate) operator add wang.wei --config \(config); echo EXITED $?")
        let added = try await answer("add", "correct horse battery", then: "correct horse battery")
        #expect(added.contains("EXITED 0") && added.contains("added operator wang.wei"), "\(added)")
        #expect(!added.contains("correct horse"), "the password is not echoed: \(added)")
        #expect(Bcrypt.verify("correct horse battery", hash: try #require(try desk.accounts().first).passwordHash))

        try await session("differ", "\(smokegate) operator passwd wang.wei --config \(config); echo EXITED $?")
        let differ = try await answer("differ", "another good password", then: "another good passwort")
        #expect(differ.contains("the two passwords differ; nothing was changed") && differ.contains("EXITED 1"), "\(differ)")
        #expect(Bcrypt.verify("correct horse battery", hash: try #require(try desk.accounts().first).passwordHash))

        try await session(
            "interrupt",
            // The shell ignores ^C so that it goes on to report; the command sets its own handler.
            "trap '' INT; \(smokegate) operator passwd wang.wei --config \(config); echo EXITED $?; "
                + "stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?echo'")
        _ = try await tmux.screen("interrupt") { $0.contains("New password for wang.wei:") }
        try await type("interrupt", "half a pass")
        try await type("interrupt", "C-c")
        let interrupted = try await tmux.screen("interrupt") { $0.contains("EXITED") && $0.contains("echo") }
        #expect(interrupted.contains("EXITED 130"), "\(interrupted)")
        let echo = interrupted.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(echo.contains("echo") && !echo.contains("-echo"), "the terminal echoes again after ^C: \(interrupted)")
    }
}
