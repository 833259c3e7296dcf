import GRDB

extension Schema {
    /// One word per meaning in what is stored: an operator's silence "silences" (it used to
    /// "shield"), a detector not heard is "offline" (its timeline line used to say "silent").
    /// Stored timeline actions are renamed in place; `TimelineEntry.Action(stored:)` still
    /// reads the old names, from a backup restored or a gateway of the previous version.
    static func registerVocabulary(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-vocabulary") { db in
            for statement in vocabularyStatements(renamingIndex: false) { try db.execute(sql: statement) }
        }
    }

    /// The same renames for either engine: PostgreSQL renames an index in place, SQLite
    /// builds it again under its new name.
    static func vocabularyStatements(renamingIndex: Bool) -> [String] {
        let index =
            renamingIndex
            ? ["ALTER INDEX incident_shielded_by RENAME TO incident_by_silence"]
            : [
                "DROP INDEX incident_shielded_by",
                """
                CREATE INDEX incident_by_silence ON incident(silence_id)
                WHERE silence_id IS NOT NULL AND state != 'resolved'
                """,
            ]
        return ["ALTER TABLE incident RENAME COLUMN shielded TO silenced_by"] + index + [
            "UPDATE timeline SET action = 'silenced' WHERE action = 'shielded'",
            "UPDATE timeline SET action = 'offline' WHERE action = 'silent'",
        ]
    }
}
