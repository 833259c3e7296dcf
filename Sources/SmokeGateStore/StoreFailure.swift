import GRDB
import SmokeGateCore

/// Whether a failed store operation may succeed if tried again.
///
/// On PostgreSQL a connection lost, a server restarting or unreachable passes; a statement the
/// server refuses (its syntax, a constraint, a type) is permanent (`PostgresFailure.isPermanent`).
///
/// A full disk, a lock held by another process or an I/O error pass: the loops that write
/// retry them and keep their message (a restart would not free the disk or the lock). A
/// corrupt file, a schema or a row this version cannot read, a constraint a trigger or a newer
/// version added are the same on every attempt: retrying holds ingest forever, so the loop
/// stops and the daemon exits for systemd to restart it (see docs/reliability.md).
public enum StoreFailure {
    /// SQLite's primary result codes that describe a passing condition.
    static let transientCodes: [ResultCode] = [
        .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_PROTOCOL, .SQLITE_NOMEM, .SQLITE_INTERRUPT,
        .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_ABORT,
    ]

    /// Whether `error` may pass: a lock, a full disk, an I/O error. Errors the store does not
    /// know are taken as passing, so nothing unforeseen turns into a restart loop.
    /// Whether the failed write may nonetheless have committed (its COMMIT went unanswered):
    /// whoever writes it again must let the store recognise it (`mayBeRedelivery`).
    public static func mayHaveCommitted(_ error: any Error) -> Bool {
        (error as? PostgresFailure)?.outcomeUnknown == true
    }

    public static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as DatabaseError: transientCodes.contains(error.resultCode)
        case let error as PostgresFailure: !error.isPermanent
        case is StoreError, is IncidentRefusal, is RowDecodingError, is DecodingError: false
        default: true
        }
    }
}
