import GRDB

/// An `IN (…)` list whose length is rounded up to a power of two, so that a few statement
/// texts serve lists of every length and stay prepared (on PostgreSQL, by name).
enum PaddedList {
    /// A list's placeholders: its length rounded up to a power of two (at least one).
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: paddedCount(count)).joined(separator: ", ")
    }

    static func paddedCount(_ count: Int) -> Int {
        var size = 1
        while size < count { size *= 2 }
        return size
    }

    /// `values` as `placeholders` names them: the last repeated to fill, or NULL (which `IN`
    /// never matches) for an empty list.
    static func padded(_ values: [some DatabaseValueConvertible]) -> SQLArguments {
        let size = paddedCount(values.count)
        guard let last = values.last else { return Array(repeating: nil, count: size) }
        return values + Array(repeating: last, count: size - values.count)
    }
}
