import Foundation
import GRDB
import SmokeGateCore

/// A store operation that cannot go on, said so an operator can act on it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
