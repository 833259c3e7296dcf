/// Inserts a PostgreSQL write transaction keeps back to send together (`insertLater`): the
/// rows kept for one table and column list go as one multi-row INSERT, before the next
/// statement of any other kind.
///
/// PostgresNIO sends a connection's statements one after another, each after the last one's
/// answer, so a burst's group transaction paid one turn of the server per insert: five per
/// alarm (its event, incident, detector, timeline and call). Kept, they are five per group.
///
/// The statements go out in the order their first row was kept, except that a table other
/// tables' rows refer to (`referenced`) goes first: an incident's timeline line or call,
/// kept before a later alarm's new incident, must not reach the server before it.
struct KeptInserts {
    /// Where kept rows go: a table, its columns, and what follows the values (an
    /// `ON CONFLICT` clause), one statement for all of them.
    struct Target: Hashable {
        let table: String
        let columns: String
        let suffix: String
    }

    /// Tables whose rows others' foreign keys name, in the order they must be written.
    static let referenced = ["incident", "dispatch_group"]
    /// Rows per statement at most: PostgreSQL binds 65,535 parameters at most, and a statement
    /// of a few hundred rows costs the server little more to plan than one of a few.
    static let rowsPerStatement = 500
    static let parametersPerStatement = 65_535

    private var targets: [Target] = []
    private var rows: [Target: [SQLArguments]] = [:]

    var isEmpty: Bool { targets.isEmpty }

    mutating func keep(_ newRows: [SQLArguments], for target: Target) {
        guard !newRows.isEmpty else { return }
        if rows[target] == nil { targets.append(target) }
        rows[target, default: []] += newRows
    }

    /// The statements for every row kept, in the order they must run; nothing is kept after.
    mutating func take() -> [(sql: String, arguments: SQLArguments, rows: Int)] {
        let order = targets.enumerated().sorted { a, b in
            (Self.rank(a.element), a.offset) < (Self.rank(b.element), b.offset)
        }
        var statements: [(sql: String, arguments: SQLArguments, rows: Int)] = []
        for (_, target) in order {
            let kept = rows[target] ?? []
            let columns = max(kept.first?.count ?? 1, 1)
            let chunk = max(1, min(Self.rowsPerStatement, Self.parametersPerStatement / columns))
            var start = 0
            while start < kept.count {
                let end = min(start + chunk, kept.count)
                statements.append(
                    (Self.sql(target, rows: end - start, columns: columns), kept[start..<end].flatMap { $0 }, end - start))
                start = end
            }
        }
        self = KeptInserts()
        return statements
    }

    /// `INSERT INTO table (columns) VALUES (?, …), … suffix`, for `rows` rows.
    static func sql(_ target: Target, rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let values = Array(repeating: row, count: rows).joined(separator: ", ")
        let suffix = target.suffix.isEmpty ? "" : " " + target.suffix
        return "INSERT INTO \(target.table) (\(target.columns)) VALUES \(values)\(suffix)"
    }

    private static func rank(_ target: Target) -> Int {
        referenced.firstIndex(of: target.table) ?? referenced.count
    }
}
