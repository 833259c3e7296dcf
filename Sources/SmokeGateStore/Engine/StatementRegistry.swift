import Foundation
import GRDB
import Synchronization

/// The statements the store keeps prepared on PostgreSQL, numbered once for the process and
/// shared by every connection.
///
/// PostgreSQL parses and plans every statement it is sent unnamed; on the ingest path that was
/// about two thirds of the server's time per alarm (its statement log, `docs/performance.md`).
/// A statement the store runs again and again (`cached`) is registered here by its text and
/// its arguments' types, NULLs included: a prepared statement's parameter types are fixed when
/// it is prepared (from its first run's arguments, as an unnamed statement's are), and a value
/// bound in binary must be of that type. So each shape of arguments is a statement of its own,
/// and a run whose arguments differ in type from every registered shape is never bound to one.
final class StatementRegistry: Sendable {
    static let shared = StatementRegistry()

    /// Statements (with their argument shapes) looked at, at most: the store's repeated ones
    /// are a fixed set of a few hundred; past this, a new one runs unnamed, as before.
    static let limit = 2_000

    /// A statement's text and its arguments' types (`shape`), kept apart: the lookup, made for
    /// every statement sent, copies neither.
    private struct Key: Hashable {
        let shape: String
        let text: String
    }

    private struct Entries {
        /// Each statement seen: its number, or `unpreparable` (looked at once, not again).
        var numbers: [Key: Int] = [:]
        var texts: [String] = []
        var types: [any StatementNumber.Type] = []
    }

    private static let unpreparable = -1
    private let entries = Mutex(Entries())

    /// PostgreSQL's name for statement `number`.
    static func name(_ number: Int) -> String { "smokegate_\(number)" }

    /// The number and type of `text` run with arguments of these types, registered at its first
    /// run; nil for a statement PostgreSQL cannot prepare, or past `limit`.
    func statement(_ text: String, _ arguments: SQLArguments) -> (number: Int, type: any StatementNumber.Type)? {
        let key = Key(shape: Self.shape(of: arguments), text: text)
        return entries.withLock { entries in
            if let number = entries.numbers[key] {
                return number == Self.unpreparable ? nil : (number, entries.types[number])
            }
            guard entries.numbers.count < Self.limit else { return nil }
            guard Self.canPrepare(text) else {
                entries.numbers[key] = Self.unpreparable
                return nil
            }
            let number = entries.texts.count
            let type = Self.numberType(number)
            entries.numbers[key] = number
            entries.texts.append(Self.returnsRows(text) ? text : text + "\nRETURNING 1")
            entries.types.append(type)
            return (number, type)
        }
    }

    /// The text of statement `number`, as prepared.
    func sql(_ number: Int) -> String { entries.withLock { $0.texts[number] } }

    /// Only these can be prepared (`SET`, `BEGIN` and the schema's statements run unnamed).
    static func canPrepare(_ text: String) -> Bool {
        let head = text.drop(while: \.isWhitespace).prefix(7).uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains { head.hasPrefix($0) }
    }

    /// Whether `text` answers with rows (a query, or a write with `RETURNING`).
    static func returnsRows(_ text: String) -> Bool {
        let head = text.drop(while: \.isWhitespace).prefix(7).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("WITH") || text.range(of: "RETURNING", options: .caseInsensitive) != nil
    }

    /// The arguments' types as PostgresNIO binds them, one letter each.
    private static func shape(of arguments: SQLArguments) -> String {
        var shape = ""
        shape.reserveCapacity(arguments.count)
        for argument in arguments {
            switch (argument?.databaseValue ?? .null).storage {
            case .null: shape.append("n")
            case .int64: shape.append("i")
            case .double: shape.append("d")
            case .string: shape.append("t")
            case .blob: shape.append("b")
            }
        }
        return shape
    }
}
