/// Which group a message belongs to, and how many it has sent before.
public struct GroupIdentity: Sendable, Equatable {
    /// Stable for the group's life: receivers replace the previous message of a group with
    /// the next (`revision` orders them).
    public var id: Int64
    public var revision: Int

    public init(id: Int64, revision: Int) {
        self.id = id
        self.revision = revision
    }
}
