import Foundation
import SmokeGateCore

/// A scenario step that could not be carried out.
public struct RulebookFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
