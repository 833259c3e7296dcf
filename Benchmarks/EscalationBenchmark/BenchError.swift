import Foundation

/// A measurement that could not be made (the broker, the daemon or the set-up failed).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
