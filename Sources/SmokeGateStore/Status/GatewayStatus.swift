import Foundation

/// The daemon's health as it writes it for the CLI (`smokegate status`).
public struct GatewayStatus: Sendable, Equatable, Codable {
    public var pid: Int
    public var clientID: String
    public var broker: String
    public var startedAt: Date
    public var updatedAt: Date
    public var connected: Bool
    public var received: Int
    public var rejected: Int
    public var heartbeats: Int
    public var events: Int
    public var duplicates: Int
    public var byFormat: [String: Int]
    public var byReason: [String: Int]
    public var stoppedAt: Date?
    /// When it was written on the boot clock (`CLOCK_BOOTTIME` seconds), and in which boot:
    /// how old the row is, whatever the wall clock did since (nil: written by an older version).
    public var updatedBoottime: Double?
    public var bootID: String?
    /// Whether the broker refused the last attempt at some call still in the outbox (field
    /// rule 8), how many attempts it refused since the daemon started, and the latest refusal
    /// while it lasts (`refused by the broker: not authorized (0x87) on …; 3 calls held …`).
    public var dispatchRefusing: Bool
    public var callsRefused: Int
    public var refusal: String?
    /// Ingest subscriptions the broker refused or granted below the QoS asked, with its
    /// answer (`zigbee2mqtt/+` → `refused (0x80)`); while any is listed, `connected` is false.
    public var subscriptionsRefused: [String: String]
    /// Receivers in trouble (refused for good, or failing attempt after attempt), with why.
    public var receiversInTrouble: [String: String] = [:]
    /// The cluster node that wrote the row (its leader), nil for a gateway on its own.
    public var node: String?

    public init(
        pid: Int, clientID: String, broker: String, startedAt: Date, updatedAt: Date, connected: Bool, received: Int,
        rejected: Int, heartbeats: Int, events: Int, duplicates: Int, byFormat: [String: Int], byReason: [String: Int],
        stoppedAt: Date? = nil, updatedBoottime: Double? = nil, bootID: String? = nil, dispatchRefusing: Bool = false,
        callsRefused: Int = 0, refusal: String? = nil, subscriptionsRefused: [String: String] = [:]
    ) {
        self.dispatchRefusing = dispatchRefusing
        self.callsRefused = callsRefused
        self.refusal = refusal
        self.subscriptionsRefused = subscriptionsRefused
        self.pid = pid
        self.clientID = clientID
        self.broker = broker
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.connected = connected
        self.received = received
        self.rejected = rejected
        self.heartbeats = heartbeats
        self.events = events
        self.duplicates = duplicates
        self.byFormat = byFormat
        self.byReason = byReason
        self.stoppedAt = stoppedAt
        self.updatedBoottime = updatedBoottime
        self.bootID = bootID
    }
}
