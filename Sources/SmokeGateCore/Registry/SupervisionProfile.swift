/// How often a kind of detector must be heard from.
public struct SupervisionProfile: Sendable, Equatable {
    public var name: String
    /// How often the detector reports when all is well.
    public var heartbeat: Duration
    /// Not heard for longer than this, the detector is offline.
    public var offlineAfter: Duration

    public init(name: String, heartbeat: Duration, offlineAfter: Duration) {
        self.name = name
        self.heartbeat = heartbeat
        self.offlineAfter = offlineAfter
    }

    public static let defaultName = "default"
}
