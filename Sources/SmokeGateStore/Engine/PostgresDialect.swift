import Foundation

/// The store's SQL as PostgreSQL reads it. The queries are written in the SQL both engines
/// share; what remains of SQLite's own is rewritten here, once per statement text:
/// - `?` placeholders become `$1`, `$2`, … (never inside a quoted literal or name);
/// - `INDEXED BY index` is dropped (PostgreSQL's planner chooses, and has no such hint);
/// - `group_concat(x, char(31))` becomes `string_agg(x, chr(31))`;
/// - `CROSS JOIN t ON …` (SQLite's join-order hint) becomes a plain `JOIN t ON …`;
/// - SQLite's `a IS b` between two values (equal, NULLs included) becomes `IS NOT DISTINCT FROM`.
/// Two-argument `max`/`min` and the flag columns need no rewrite: the PostgreSQL schema
/// defines those functions and keeps flags as integers, as SQLite does.
enum PostgresDialect {
    private static let cache = TranslationCache()

    /// `sql` rewritten for PostgreSQL (cached: the store's statements are a fixed set).
    static func translate(_ sql: String) -> String {
        if let known = cache.lookup(sql) { return known }
        let translated = rewrite(sql)
        cache.store(translated, for: sql)
        return translated
    }

    static func rewrite(_ sql: String) -> String {
        var text = numberPlaceholders(in: sql)
        text = text.replacingOccurrences(of: #"\s+INDEXED BY [A-Za-z_][A-Za-z0-9_]*"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: "group_concat(", with: "string_agg(")
        text = text.replacingOccurrences(of: "char(31)", with: "chr(31)")
        text = text.replacingOccurrences(
            of: #"CROSS JOIN ([A-Za-z_][A-Za-z0-9_]*) ON "#, with: "JOIN $1 ON ", options: .regularExpression)
        text = text.replacingOccurrences(
            of: #"\bIS (?!NULL\b|NOT\b|TRUE\b|FALSE\b|DISTINCT\b)(?=[A-Za-z_$])"#, with: "IS NOT DISTINCT FROM ",
            options: .regularExpression)
        return text
    }

    /// Replaces each `?` outside quotes with `$n`, numbering from 1.
    static func numberPlaceholders(in sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// The translations made so far, shared by every connection.
private final class TranslationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var translations: [String: String] = [:]

    func lookup(_ sql: String) -> String? { lock.withLock { translations[sql] } }
    func store(_ translated: String, for sql: String) { lock.withLock { translations[sql] = translated } }
}
