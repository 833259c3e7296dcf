/// Strings that repeat (grid ids, venue types, profile names) stored once each, with a small
/// index per row: a million rows naming twenty thousand grids keep twenty thousand strings.
struct InternedColumn: Sendable, Equatable {
    private(set) var values: [String] = []
    private var lookup: [String: Int32] = [:]
    private(set) var rows: [Int32] = []

    var count: Int { rows.count }

    subscript(row: Int) -> String { values[Int(rows[row])] }

    /// The distinct value's number for `row`: rows with equal values share it.
    func code(at row: Int) -> Int { Int(rows[row]) }

    mutating func append(_ value: String) {
        rows.append(intern(value))
    }

    func hash(_ row: Int, into hash: inout FNV1a) {
        hash.combine(values[Int(rows[row])])
        hash.combine(0x1F)
    }

    mutating func replace(_ row: Int, with value: String) {
        rows[row] = intern(value)
    }

    mutating func reserveCapacity(_ count: Int) {
        rows.reserveCapacity(count)
    }

    private mutating func intern(_ value: String) -> Int32 {
        // Neighbouring rows mostly share a grid, a venue type and a profile: comparing with the
        // last row's value spares most hash lookups.
        if let last = rows.last, values[Int(last)] == value { return last }
        if let code = lookup[value] { return code }
        let code = Int32(values.count)
        values.append(value)
        lookup[value] = code
        return code
    }

    static func == (lhs: InternedColumn, rhs: InternedColumn) -> Bool {
        lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
    }
}
