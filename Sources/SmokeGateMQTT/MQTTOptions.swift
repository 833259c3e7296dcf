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

    public init(
        host: String, port: Int, clientID: String, cleanSession: Bool = false, username: String? = nil,
        password: String? = nil, tls: MQTTTLS? = nil, keepAlive: Int = 30, subscriptions: [String] = [],
        subscriptionQoS: Int32 = 1, reconnectDelay: (minimum: UInt32, maximum: UInt32) = (1, 5), tcpNoDelay: Bool = false,
        protocolVersion: MQTTProtocolVersion = .v311, subscriptionRetry: Duration = .seconds(30)
    ) {
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

/// The MQTT protocol versions the client can speak.
public enum MQTTProtocolVersion: Sendable {
    /// MQTT 3.1.1: a PUBACK carries no reason, so a refused publish looks delivered.
    case v311
    /// MQTT 5: PUBACK and SUBACK carry reason codes (0x87 not authorized, 0x97 quota exceeded…).
    case v5
}

/// Certificates for a TLS connection to the broker.
public struct MQTTTLS: Sendable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String?, certFile: String?, keyFile: String?) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}

/// A message as delivered by the broker, copied out of libmosquitto's buffers.
public struct MQTTMessage: Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int32
    public var retain: Bool
}

/// What the client tells its owner. Called on the client's network thread: a message
/// handler that has not returned holds back the PUBACK of a QoS 1 message.
public protocol MQTTClientDelegate: AnyObject, Sendable {
    func mqttClient(_ client: MQTTClient, received message: MQTTMessage)
    /// Connected and every subscription granted (`true`), or connection lost (`false`).
    func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String)
    /// The broker has a message we published (PUBACK for QoS 1, sent for QoS 0).
    func mqttClient(_ client: MQTTClient, published messageID: Int32)
    /// The broker accepted the connection (CONNACK), before any message of the session;
    /// `resumed` when it kept the session from before (it then resends what it never saw
    /// acknowledged, first of all).
    func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool)
}

extension MQTTClientDelegate {
    public func mqttClient(_ client: MQTTClient, published messageID: Int32) {}
    public func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool) {}
    public func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {}
}

/// A libmosquitto call that failed, with the library's own words.
public struct MQTTError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public let message: String
    public var description: String { "\(operation) failed: \(message) (\(code))" }
}
