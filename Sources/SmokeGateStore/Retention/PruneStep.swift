/// One transaction of a retention pass: what it removed, and where the next one starts.
public struct PruneStep: Sendable, Equatable {
    /// Rows deleted.
    public var removed = 0
    /// Closed incidents whose detail is now all gone: the incident and its summary stay.
    public var summarised = 0
    /// Where the next transaction starts; nil once the pass has examined everything.
    public var next: PruneCursor?

    public init(removed: Int = 0, summarised: Int = 0, next: PruneCursor? = nil) {
        self.removed = removed
        self.summarised = summarised
        self.next = next
    }
}
