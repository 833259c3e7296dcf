/// The receivers the configuration names, by name: what the store needs to write one
/// delivery per (call, receiver), or per (call, receiver, person) for texts and voice calls.
public struct ReceiverBook: Sendable, Equatable {
    public var kinds: [String: ReceiverKind]

    public init(_ kinds: [String: ReceiverKind] = [:]) {
        self.kinds = kinds
    }

    public var isEmpty: Bool { kinds.isEmpty }

    public func kind(of name: String) -> ReceiverKind? { kinds[name] }
}
