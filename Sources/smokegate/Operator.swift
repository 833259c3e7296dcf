import ArgumentParser
import Foundation
import SmokeGateConfig

extension Smokegate {
    /// `smokegate operator`: the web console's accounts, in the file `operators:` names.
    struct Operator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "operator",
            abstract: "Manage the web console's accounts: add, passwd, remove, list.",
            discussion: """
                The accounts live in the file the configuration's 'operators:' names (operators.yaml beside
                it, as a rule; a new file is readable by its owner and group only, 0640): each has a login
                name, a display name for timelines, a role (duty acts on incidents; viewer only watches, as a
                wall screen does) and a bcrypt hash of the password. Passwords are asked twice on the terminal, or read from
                --password-file (- for standard input). Changes are written atomically, one command at a
                time (a lock file beside the accounts file).
                """,
            subcommands: [Add.self, Passwd.self, Remove.self, List.self])
    }
}

/// The accounts file as one command reads and rewrites it, under its lock.
struct OperatorBook: ~Copyable {
    let path: String
    var accounts: [OperatorAccount]
    private let lock: FileLock

    /// Locks and reads the file the configuration names (no file yet: no accounts).
    init(_ options: ConsoleOptions) throws {
        let configuration = try options.loadConfiguration()
        guard let path = configuration.operatorsFile else {
            throw ConsoleFailure(
                "\(configuration.file) names no accounts file: add 'operators: operators.yaml' to it, then run this again")
        }
        let lock = try FileLock(of: path)
        let accounts = try Self.accounts(in: path)
        self.path = path
        self.accounts = accounts
        self.lock = lock
    }

    private static func accounts(in path: String) throws -> [OperatorAccount] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            return try OperatorsFile.read(path)
        } catch {
            throw ConsoleFailure(
                "cannot use \(path); fix it by hand, then run this again (nothing was changed):\n"
                    + error.problems.map { "  \($0)" }.joined(separator: "\n"))
        }
    }

    /// The account named `name`, or a failure that names the file.
    func index(of name: String) throws -> Int {
        guard let index = accounts.firstIndex(where: { $0.name == name }) else {
            throw ConsoleFailure("no operator '\(name)' in \(path) (smokegate operator list shows who there is)")
        }
        return index
    }

    /// Writes the accounts back: readable by the owner and the group (the daemon's), as a new
    /// file; an existing file keeps its mode and group.
    consuming func save() throws {
        try FileRewrite.replace(path, with: OperatorsFile.render(accounts), newFileMode: 0o640)
    }
}
