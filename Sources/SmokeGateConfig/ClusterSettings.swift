import Foundation

/// `cluster:`: this instance is one of several `smokegated` sharing one PostgreSQL store.
/// Every instance ingests; the one holding the lease escalates and dispatches, and a standby
/// takes over within about `lease` after the leader is gone.
public struct ClusterSettings: Sendable, Equatable {
    /// This instance's name, unique among the instances (`gw-a`): shown in `status` as the
    /// leader's, and appended to the broker client id so each keeps its own MQTT session.
    public var node: String
    /// Seconds a leader's lease lasts without renewal.
    public var lease: TimeInterval

    public static let defaultLease: TimeInterval = 5
    /// Shorter, and a leader's stall on a busy database would hand leadership back and forth.
    public static let shortestLease: TimeInterval = 1
    /// Longer, and a fire waits that long for its next tier when the leader dies.
    public static let longestLease: TimeInterval = 300
    /// The most characters a node name may have.
    public static let longestNode = 64

    public init(node: String, lease: TimeInterval = ClusterSettings.defaultLease) {
        self.node = node
        self.lease = lease
    }

    /// Whether `name` can name a node: 1 to `longestNode` ASCII letters, digits, '-', '_' or
    /// '.'. It goes into an MQTT client id, metrics labels and the lease row, unquoted.
    public static func isValidNode(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".utf8)
        return !name.isEmpty && name.utf8.count <= longestNode && name.utf8.allSatisfy(allowed.contains)
    }
}
