/// The last row a retention transaction examined (in its index's order), so the next one
/// starts after it instead of reading again the rows that had to stay.
public struct PruneCursor: Sendable, Equatable {
    public var time: Double
    public var id: Int64

    /// Before the first row.
    public static let start = PruneCursor(time: -.greatestFiniteMagnitude, id: 0)
}
