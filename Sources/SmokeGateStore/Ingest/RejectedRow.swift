/// One rejected message as stored.
public struct RejectedRow: Sendable, Equatable {
    public var topic: String
    public var reason: String
    public var detail: String
}
