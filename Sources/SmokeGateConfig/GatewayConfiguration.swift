import SmokeGateCore

/// Everything `smokegated` and `smokegate` are configured with, loaded and validated.
public struct GatewayConfiguration: Sendable {
    /// How to reach the MQTT broker.
    public struct Broker: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 1883
        /// Stable, so that the broker keeps the session (and queued QoS 1 messages) under it.
        public var clientID = "smokegated"
        public var username: String?
        /// A file holding the password, so that it stays out of the main configuration.
        public var passwordFile: String?
        public var tls: TLS?
        /// Seconds between MQTT keep-alive pings.
        public var keepAlive = 30

        public init() {}
    }

    /// TLS to the broker; paths are absolute once loaded.
    public struct TLS: Sendable, Equatable {
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// Where Prometheus metrics and the health check are served.
    public struct HTTP: Sendable, Equatable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// How long history is kept: detector events, rejected messages, calls the broker took,
    /// and the detail of closed incidents. An incident itself and the summary of its timeline
    /// (who was called, who acknowledged, who resolved it and why) are the street's record and
    /// are kept for the look-back report.
    public struct Retention: Sendable, Equatable {
        public var events: Duration = .seconds(365 * 86_400)
        public var rejected: Duration = .seconds(30 * 86_400)
        /// Sent outbox rows, counted from when the broker took them.
        public var outbox: Duration = .seconds(7 * 86_400)
        /// The detail of a resolved incident, counted from its resolution: its repetitive
        /// timeline lines, its sent calls, its own detector's membership row.
        public var incidents: Duration = .seconds(90 * 86_400)

        public init() {}
    }

    /// The main file this configuration was read from.
    public var file: String
    public var broker = Broker()
    /// Absolute path of the SQLite database; not used when `postgres` is set.
    public var databasePath = "/var/lib/smokegate/smokegate.db"
    /// The PostgreSQL store, when `database:` is a `postgresql://` URL (its password from
    /// `database_password_file`); nil: the SQLite file at `databasePath`.
    public var postgres: PostgresLocation?
    /// `cluster:`: this instance is one of several on the PostgreSQL store; nil: the only one.
    public var cluster: ClusterSettings?
    public var sources: [Source] = []
    /// NB-IoT platforms' HTTP pushes, served on `http.listen`.
    public var pushSources: [PushSource] = []
    public var chain = ResponseChain(stations: [], streets: [])
    public var devices = DeviceRegistry()
    /// Absolute path of the device registry (`registry.devices`), once loaded.
    public var devicesFile: String?
    public var ladder = EscalationLadder.standard
    public var profiles: [String: SupervisionProfile] = [
        SupervisionProfile.defaultName: SupervisionProfile(
            name: SupervisionProfile.defaultName, heartbeat: .seconds(60), offlineAfter: .seconds(300))
    ]
    public var dispatchTopicPrefix = "smokegate/notify"
    /// How maintenance calls are grouped per unit (`dispatch.group_wait`, `dispatch.group_interval`).
    public var dispatchGrouping = DispatchGrouping()
    public var http: HTTP?
    /// `operators:`: the web console's accounts file (resolved against the main file's folder),
    /// kept with `smokegate operator`.
    public var operatorsFile: String?
    /// Its accounts, read where secrets are read (the daemon): they hold password hashes, and
    /// the duty officer's commands have no use for them.
    public var operators: [OperatorAccount] = []
    public var retention = Retention()
    /// `receivers:`: the vendors that reach people besides MQTT, by the names the chain uses.
    public var receivers: [ReceiverSettings] = []
    /// `answer:`: signed links and SMS replies that acknowledge from a phone; nil: calls carry
    /// no link, and nothing answers on `/answer`.
    public var answer: AnswerSettings?
    /// `thing_models:`: what platform pushes' properties mean, by product (built-in otherwise).
    public var thingModels = ThingModelBook.builtIn
    /// What loaded but deserves the operator's look: `--check-config` prints each on standard
    /// error and still exits 0; the daemon logs each as it starts.
    public var warnings: [ConfigurationProblem] = []

    public init(file: String) {
        self.file = file
    }

    /// Where the configuration is read from: `--config`, then `$SMOKEGATE_CONFIG`, then
    /// `/etc/smokegate/smokegate.yaml`.
    public static func locate(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["SMOKEGATE_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "/etc/smokegate/smokegate.yaml"
    }

    /// The profile a registered device follows (`default` when it names none).
    public func profile(named name: String) -> SupervisionProfile {
        profiles[name] ?? profiles[SupervisionProfile.defaultName]
            ?? SupervisionProfile(name: name, heartbeat: .seconds(60), offlineAfter: .seconds(300))
    }
}

extension GatewayConfiguration {
    /// The incident rules and the chain as this configuration sets them: what the daemon
    /// acts with, and what the CLI acknowledges and resolves with.
    public var incidentDesk: IncidentDesk {
        IncidentDesk(
            ladder: ladder, directory: ResponseDirectory(chain: chain, devices: devices), topicPrefix: dispatchTopicPrefix,
            grouping: dispatchGrouping,
            receivers: ReceiverBook(Dictionary(receivers.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })))
    }
}
