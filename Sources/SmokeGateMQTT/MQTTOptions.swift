/// How to reach and present ourselves to the broker.
public struct MQTTOptions: Sendable {
    public var host: String
    public var port: Int
    public var clientID: String
    /// Off for the daemon: the broker then keeps its subscriptions and queues QoS 1
    /// messages while it is away, and redelivers what it never acknowledged.
    public var cleanSession: Bool
    public var username: String?
    public var password: String?
    public var tls: MQTTTLS?
    public var keepAlive: Int
    /// Filters subscribed (again) on every connection, all at `subscriptionQoS`.
    public var subscriptions: [String]
    public var subscriptionQoS: Int32
    /// Reconnect backoff: doubles from `minimum` up to `maximum` seconds. The ceiling is low
    /// (5 s) because it is also how late alarms may be once a broker comes back after a long
    /// outage; a connection attempt every 5 s costs the broker nothing.
    public var reconnectDelay: (minimum: UInt32, maximum: UInt32)
    /// Sends each packet at once instead of letting Nagle's algorithm hold small ones back
    /// for up to 40 ms. On for the dispatcher, whose calls are few and must not wait; off for
    /// ingest, where Nagle coalesces the PUBACKs of a QoS 1 stream (on, ingest drained QoS 1
    /// heartbeats at 0.68× mosquitto_sub's rate instead of about 0.9×).
    public var tcpNoDelay: Bool
    /// The protocol spoken. MQTT 3.1.1 for ingest: its persistent session needs no expiry
    /// interval, and the broker keeps it as long as it keeps any. MQTT 5 for the dispatcher:
    /// only there does a PUBACK say whether the broker refused the message (an ACL denying
    /// the write is acknowledged like a delivery in 3.1.1).
    public var protocolVersion: MQTTProtocolVersion
    /// How often a subscription the broker refused (or granted at a lower QoS) is asked for
    /// again while the session is up, so that fixing the broker's ACL is enough.
    public var subscriptionRetry: Duration
    /// Reads every message waiting on the socket before any acknowledgement leaves, and asks
    /// the delegate to finish them first (`mqttClientEndedReadPass`): a delegate can then
    /// commit a burst's messages in one transaction and still never acknowledge one before
    /// it is stored. Ingest only; see `MQTTClient+ReadPass.swift`.
    public var acknowledgesByReadPass: Bool

    public init(
        host: String, port: Int, clientID: String, cleanSession: Bool = false, username: String? = nil,
        password: String? = nil, tls: MQTTTLS? = nil, keepAlive: Int = 30, subscriptions: [String] = [],
        subscriptionQoS: Int32 = 1, reconnectDelay: (minimum: UInt32, maximum: UInt32) = (1, 5), tcpNoDelay: Bool = false,
        protocolVersion: MQTTProtocolVersion = .v311, subscriptionRetry: Duration = .seconds(30),
        acknowledgesByReadPass: Bool = false
    ) {
        self.acknowledgesByReadPass = acknowledgesByReadPass
        self.tcpNoDelay = tcpNoDelay
        self.protocolVersion = protocolVersion
        self.subscriptionRetry = subscriptionRetry
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.username = username
        self.password = password
        self.tls = tls
        self.keepAlive = keepAlive
        self.subscriptions = subscriptions
        self.subscriptionQoS = subscriptionQoS
        self.reconnectDelay = reconnectDelay
    }
}
