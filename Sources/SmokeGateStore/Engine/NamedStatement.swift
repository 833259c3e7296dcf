import PostgresNIO

/// A statement the store keeps prepared, in the form PostgresNIO runs by name
/// (`PostgresPreparedStatement`): PostgresNIO prepares it on a connection at its first run
/// there (Parse, with the first run's argument types, as an unnamed statement would be), and
/// afterwards sends only Bind and Execute, so the server neither parses nor plans it again.
///
/// PostgresNIO names a prepared statement by its type, and reads its SQL from the type, while
/// the store's statements are strings known only at run time. So each registered statement
/// (`StatementRegistry`) gets a type of its own, a number written in nested generic types
/// (`StatementNumber`), whose `name` and `sql` are looked up by that number.
protocol StatementNumber: SendableMetatype {
    static var number: Int { get }
}

/// Zero, and the end of every number's digits.
enum NoDigits: StatementNumber {
    static var number: Int { 0 }
}

/// `Higher` followed by the binary digit 0.
enum DigitZero<Higher: StatementNumber>: StatementNumber {
    static var number: Int { Higher.number * 2 }
}

/// `Higher` followed by the binary digit 1.
enum DigitOne<Higher: StatementNumber>: StatementNumber {
    static var number: Int { Higher.number * 2 + 1 }
}

extension StatementRegistry {
    /// The type whose `number` is `number` (one type per number: no leading zero digit).
    static func numberType(_ number: Int) -> any StatementNumber.Type {
        guard number > 0 else { return NoDigits.self }
        let higher = numberType(number / 2)
        return number % 2 == 0 ? zero(after: higher) : one(after: higher)
    }

    private static func zero<Higher: StatementNumber>(after _: Higher.Type) -> any StatementNumber.Type {
        DigitZero<Higher>.self
    }

    private static func one<Higher: StatementNumber>(after _: Higher.Type) -> any StatementNumber.Type {
        DigitOne<Higher>.self
    }
}

/// A registered statement, run by name. Every one answers with rows (`StatementRegistry`
/// gives a write without `RETURNING` a `RETURNING 1`, one row per row changed): PostgresNIO's
/// command-tag answer to a prepared statement stops the process ("commandTag may only be
/// called if all rows have been consumed"), so rows are the only count it gives.
struct NamedStatement<Number: StatementNumber>: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static var name: String { StatementRegistry.name(Number.number) }
    static var sql: String { StatementRegistry.shared.sql(Number.number) }
    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}
