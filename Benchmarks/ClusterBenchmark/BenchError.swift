/// A measurement that could not be made (the broker, a daemon or the database failed).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
