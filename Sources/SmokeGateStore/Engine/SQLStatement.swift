/// A statement named by its SQL, run on one connection: the shape of GRDB's cached
/// statements, which every engine keeps prepared as it can.
public struct SQLStatement {
    let connection: any SQLConnection
    let sql: String

    public func execute(arguments: SQLArguments = []) throws {
        try connection.execute(sql, arguments, cached: true)
    }
}
