import Foundation
import GRDB
import SmokeGateCore

/// What one gateway of a cluster last said of itself: every node writes its own row, so the
/// console shows the standbys beside the leader.
public struct ClusterNodeStatus: Sendable, Equatable, Codable {
    public var node: String
    /// `leader` or `standby`.
    public var role: String
    /// The lease's epoch while it leads.
    public var epoch: Int64?
    public var pid: Int
    public var connected: Bool
    public var received: Int
    public var startedAt: Date
    public var updatedAt: Date

    public init(
        node: String, role: String, epoch: Int64?, pid: Int, connected: Bool, received: Int, startedAt: Date, updatedAt: Date
    ) {
        self.node = node
        self.role = role
        self.epoch = epoch
        self.pid = pid
        self.connected = connected
        self.received = received
        self.startedAt = startedAt
        self.updatedAt = updatedAt
    }
}
