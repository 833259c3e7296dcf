import GRDB

/// Ids taken ahead from PostgreSQL's sequences, inside one write transaction, so that an
/// incident and its call can be inserted without waiting for the server to say their ids.
///
/// An insert that must say its id (`RETURNING`) is a round trip its thread waits for, and an
/// alarm had two: its incident's and its call's (the call names the incident). A group commit
/// now takes as many ids as it may need in the round trip of its rule reads, and inserts with
/// them, sent ahead. It is safe because every insert into these tables is made under the
/// cluster's write lock (`PostgresEngine.write`), which the transaction holds from before it
/// takes the ids until its COMMIT: nobody else draws from the sequences in between, so the ids
/// are in commit order, as the sequences' own would be. Ids left unused are given back before
/// the COMMIT (`giveBack`), so an operator never sees a gap a reservation left.
public final class ReservedIDs {
    /// The tables whose ids are taken ahead.
    enum Table: String, CaseIterable {
        case incident, outbox
    }

    private var free: [Table: ArraySlice<Int64>] = [:]
    /// The last id drawn for each table in this transaction.
    private var lastDrawn: [Table: Int64] = [:]

    /// The queries that draw `count` ids for each table holding fewer than `count` unused.
    func drawQueries(count: Int) -> [(table: Table, query: (sql: String, arguments: SQLArguments))] {
        guard count > 0 else { return [] }
        return Table.allCases.filter { (free[$0]?.count ?? 0) < count }.map { table in
            (
                table,
                (
                    "SELECT nextval(pg_get_serial_sequence('\(table.rawValue)', 'id')) AS id FROM generate_series(1, ?)",
                    [Int64(count)]
                )
            )
        }
    }

    /// Keeps the ids drawn by `draws`, whose rows are `rows`, in order.
    func keep(_ rows: ArraySlice<[Row]>, drawnBy draws: [(table: Table, query: (sql: String, arguments: SQLArguments))]) {
        for (rows, draw) in zip(rows, draws) { keep(rows, for: draw.table) }
    }

    /// Keeps the ids `drawQueries` drew, after those still unused.
    func keep(_ rows: [Row], for table: Table) {
        let drawn = rows.map { $0["id"] as Int64 }.sorted()
        guard let last = drawn.last else { return }
        free[table, default: []].append(contentsOf: drawn)
        lastDrawn[table] = last
    }

    /// The next id for a row of `table`, or nil when none is reserved (the insert then asks
    /// the server for one).
    func take(_ table: Table) -> Int64? {
        guard let id = free[table]?.first else { return nil }
        free[table]?.removeFirst()
        return id
    }

    /// Statements that give back the ids drawn and not used: each sequence is set back to the
    /// first unused id, if nothing was drawn from it since (a guard: every drawer holds the
    /// write lock). Everything is forgotten then, for the connection's next transaction.
    func giveBack() -> [(sql: String, arguments: SQLArguments)] {
        defer { forget() }
        return Table.allCases.compactMap { table in
            guard let unused = free[table]?.first, let last = lastDrawn[table] else { return nil }
            return (
                """
                SELECT setval(sequence.id, ?, false)
                FROM (SELECT pg_get_serial_sequence('\(table.rawValue)', 'id')::regclass AS id) AS sequence
                JOIN pg_sequences AS drawn ON format('%I.%I', drawn.schemaname, drawn.sequencename)::regclass = sequence.id
                WHERE drawn.last_value = ?
                """,
                [unused, last]
            )
        }
    }

    /// Drops what is held: after a rollback, the ids drawn are gone with it, as a rolled-back
    /// insert's own would be.
    func forget() {
        free.removeAll()
        lastDrawn.removeAll()
    }
}
