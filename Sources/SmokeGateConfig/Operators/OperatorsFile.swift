import Foundation
import SmokeGateCore

/// `operators.yaml`: the console's accounts, written by `smokegate operator` and read by the
/// daemon. A hand-edited file is checked as the main configuration is: every problem at
/// once, each with its line.
public enum OperatorsFile {
    /// The accounts `path` holds, or every problem found in it. `displayName`: how messages
    /// name the file (as the configuration names it).
    public static func read(_ path: String, displayName: String? = nil) throws(ConfigurationError) -> [OperatorAccount] {
        let log = ProblemLog()
        let accounts = load(path, displayName: displayName ?? path, log: log)
        guard log.problems.isEmpty else { throw ConfigurationError(problems: log.problems) }
        return accounts
    }

    static func load(_ path: String, displayName: String, log: ProblemLog) -> [OperatorAccount] {
        guard let root = YAMLFile.root(of: path, displayName: displayName, log: log) else { return [] }
        root.rejectUnknownKeys(["operators"])
        var accounts: [OperatorAccount] = []
        var firstLines: [String: Int?] = [:]
        for (position, node) in root.sequence("operators", required: true).enumerated() {
            guard let entry = YAMLMapping(node, file: root.file, path: "operators[\(position)]", log: log) else { continue }
            entry.rejectUnknownKeys(["name", "display_name", "role", "password_hash"])
            let name = entry.string("name", required: true)
            if let name, let problem = OperatorName.problem(with: name) {
                log.add(entry.file, entry.lineOf("name"), "'\(entry.name("name"))': \(problem)")
            } else if let name, let first = firstLines[name] {
                log.add(
                    entry.file, entry.lineOf("name"),
                    "duplicate operator '\(name)'" + (first.map { " (first on line \($0))" } ?? ""))
            } else if let name {
                firstLines[name] = entry.lineOf("name")
            }
            let displayName = entry.string("display_name") ?? name
            if let given = entry.string("display_name"), let problem = OperatorName.problem(withDisplay: given) {
                log.add(entry.file, entry.lineOf("display_name"), "'\(entry.name("display_name"))': \(problem)")
            }
            let roleText = entry.string("role", required: true)
            let role = roleText.flatMap(OperatorRole.init(rawValue:))
            if let roleText, role == nil {
                log.add(entry.file, entry.lineOf("role"), "'\(entry.name("role"))' must be duty or viewer, got '\(roleText)'")
            }
            let hash = entry.string("password_hash", required: true)
            if let hash, !BcryptHash.isWellFormed(hash) {
                // Not quoted: a mistyped hash may be a password pasted in its place.
                log.add(
                    entry.file, entry.lineOf("password_hash"),
                    "'\(entry.name("password_hash"))' is not a bcrypt hash ($2b$, a cost, $ and 53 characters): "
                        + "set the password with smokegate operator passwd \(name ?? "NAME")")
            }
            if let name, let displayName, let role, let hash {
                accounts.append(OperatorAccount(name: name, displayName: displayName, role: role, passwordHash: hash))
            }
        }
        return accounts
    }

    /// The file's text for `accounts`, in their order, with a header saying how it is kept.
    public static func render(_ accounts: [OperatorAccount]) -> String {
        var lines = [
            "# SmokeGate web console accounts, kept with smokegate operator add|passwd|remove|list.",
            "# role: duty (acts on incidents) or viewer (watches, e.g. the wall screen).",
            "# Passwords are kept only as bcrypt hashes.",
        ]
        if accounts.isEmpty {
            lines.append("operators: []")
        } else {
            lines.append("operators:")
            for account in accounts {
                lines += [
                    "  - name: \(quoted(account.name))",
                    "    display_name: \(quoted(account.displayName))",
                    "    role: \(account.role.rawValue)",
                    "    password_hash: \(quoted(account.passwordHash))",
                ]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a YAML double-quoted scalar: a JSON string is one.
    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}

/// The shape of a bcrypt hash, `$2b$12$` and 53 characters of its alphabet: what the daemon
/// can check a password against. Only the shape: whether a password matches is bcrypt's.
public enum BcryptHash {
    public static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
            bytes[6] == UInt8(ascii: "$"), let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)),
            (4...31).contains(cost)
        else { return false }
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return bytes[7...].allSatisfy(alphabet.contains)
    }
}
