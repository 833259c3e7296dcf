import Foundation
import Logging
import ServiceLifecycle
import SmokeGateConfig
import SmokeGateCore
import SmokeGateMQTT
import SmokeGateReceivers
import SmokeGateStore

@_exported import struct UnixSignals.UnixSignal

/// The whole gateway as a library: what `smokegated` runs, and what tests start in-process
/// against a real broker and a real database file.
public final class Daemon: Sendable {
    /// Settings that are not configuration: they come from the entry point or a test.
    public struct Options: Sendable {
        /// How often heartbeat-updated state is written (at most a second).
        public var flushInterval: Duration = .milliseconds(1_000)
        /// How often the status row is rewritten (under a second, so the CLI is never staler).
        public var statusInterval: Duration = .milliseconds(500)
        /// Registry changes up to this many rows are written into the database before READY;
        /// larger ones after it, by `RegistryMirror`.
        public var registryWrittenBeforeReady = 50_000
        /// Rows per transaction when the registry is written after READY.
        public var registryPart = 2_000
        public var faultInjection: FaultInjection?
        /// Signals that start a graceful shutdown; the entry point sets SIGTERM and SIGINT,
        /// tests call `shutdown()` instead.
        public var shutdownSignals: [UnixSignal] = []
        /// Signals that reload the configuration (`reload()`); the entry point sets SIGHUP,
        /// which `systemctl reload` sends.
        public var reloadSignals: [UnixSignal] = []
        /// The wall clock. The daemon keeps its deadlines and supervision on the monotonic
        /// clock and only follows this one through `ClockStepWatch`; tests step their own.
        public var wallClock: @Sendable () -> Date = { Date() }
        /// How often a subscription the broker refused is asked for again while the session is up.
        public var subscriptionRetry: Duration = .seconds(30)
        /// Whether a new fire's first calls leave as their commit returns (`ExpressCalls`);
        /// off, the dispatcher reads them from the outbox like every other call. Off only to
        /// measure what it saves (`EscalationBenchmark --first-calls-from-outbox`).
        public var publishesFirstFireCalls = true
        /// Who copies a SQLite store's write-ahead log back into its file: a connection of the
        /// store's own, in the background. `.byCommits` only to measure what that saves
        /// (`EscalationBenchmark --checkpoints-in-commits`).
        public var walCheckpoints = WALCheckpoints.daemon

        public init() {}
    }

    /// The configuration in force: the one started with, or the last one a reload put in force.
    public var configuration: GatewayConfiguration { live.configuration }
    let live: LiveConfiguration
    public let store: Store
    let memory: DeviceMemory
    let clock: GatewayClock
    let connection: ConnectionState
    let metrics = GatewayMetrics()
    let databaseHealth = DatabaseHealth()
    /// Whether this gateway calls people now: always on its own, its cluster's leader only.
    let leadership: Leadership
    /// How each receiver is doing, for `/healthz` and `status`.
    let receiverHealth: ReceiverHealth
    let pipeline: IngestPipeline
    let client: MQTTClient
    let group: ServiceGroup
    let reloader: Reloader
    /// Where a store error that no retry can fix stops the daemon (see `run()`).
    let fatal: FatalStop
    let logger: Logger

    /// Opens the database, syncs the registry into it (a large change is written after
    /// start-up, by `RegistryMirror`) and prepares the services.
    public init(configuration: GatewayConfiguration, options: Options = Options(), logger: Logger) throws {
        let live = LiveConfiguration(configuration)
        self.live = live
        self.logger = logger
        let clock = GatewayClock(wall: options.wallClock)
        self.clock = clock
        let connection = ConnectionState(clock: clock)
        self.connection = connection
        let store = try Self.openStore(configuration, walCheckpoints: options.walCheckpoints)
        self.store = store
        let leadership = Leadership(node: configuration.cluster?.node)
        self.leadership = leadership
        let registryWrites = RegistryRequests()
        if let changes = try store.registryChanges(configuration.devices) {
            if changes.rowCount <= options.registryWrittenBeforeReady {
                try store.write(changes, of: configuration.devices, rows: 0..<changes.rowCount)
            } else {
                registryWrites.submit(configuration.devices, changes: changes)
            }
        }
        let mirror = RegistryMirror(
            store: store, requests: registryWrites, part: options.registryPart, connection: connection, logger: logger)
        let memory = try DeviceMemory(registry: configuration.devices, offline: try store.devicesOffline()) { seed in
            try store.forEachLiveState(seed)
        }
        self.memory = memory
        let metrics = self.metrics
        try ClockStepWatch.applyStepWhileStopped(clock: clock, store: store, memory: memory, metrics: metrics, logger: logger)
        let bells = Bells()
        let traces = AlarmTraces()
        let fatal = FatalStop()
        self.fatal = fatal
        let broker = configuration.broker
        let password = try Self.password(broker)
        let dispatchLink = try DispatchLink(
            broker: broker, password: password, clock: clock, bell: bells.dispatcher, logger: logger)
        let express = ExpressCalls(
            link: dispatchLink, leadership: leadership, enabled: options.publishesFirstFireCalls)
        pipeline = IngestPipeline(
            normalizer: MessageNormalizer(sources: configuration.sources, thingModels: configuration.thingModels), store: store,
            memory: memory,
            connection: connection, clock: clock, live: live, bells: bells, traces: traces, express: express, fatal: fatal,
            logger: logger, faultInjection: options.faultInjection)
        let mqttOptions = MQTTOptions.ingest(
            broker, password: password, subscriptions: configuration.sources.flatMap(\.subscriptions),
            subscriptionRetry: options.subscriptionRetry)
        let pipeline = self.pipeline
        // Weak: the pipeline keeps its worker, and a strong capture back would keep both, the
        // store's files among them, after the daemon is gone (tests start many in one process).
        let deferred = DeferredIngest { [weak pipeline] in pipeline?.ingest($0) }
        pipeline.deferred = deferred
        client = try MQTTClient(options: mqttOptions, delegate: pipeline, logger: logger)
        let identity = (
            pid: Int(ProcessInfo.processInfo.processIdentifier), clientID: broker.clientID,
            broker: "\(broker.host):\(broker.port)", startedAt: clock.now()
        )
        let flusher = HeartbeatFlusher(
            memory: memory, store: store, interval: options.flushInterval, fatal: fatal, logger: logger)
        let refusals = BrokerRefusals(dispatch: DispatchRefusals(), ingest: client)
        let receiverHealth = ReceiverHealth()
        self.receiverHealth = receiverHealth
        let status = StatusWriter(
            memory: memory, connection: connection, store: store, clock: clock, health: databaseHealth, identity: identity,
            refusals: refusals, receivers: receiverHealth, interval: options.statusInterval, leadership: leadership,
            logger: logger)
        let schedulerMonitor = LoopMonitor("scheduler", fatal: fatal)
        let dispatchMonitor = LoopMonitor("dispatcher", fatal: fatal)
        let scheduler = EscalationScheduler(
            store: store, leadership: leadership, clock: clock, live: live, bells: bells, monitor: schedulerMonitor,
            metrics: metrics, logger: logger)
        let dispatcher = Dispatcher(
            store: store, leadership: leadership, clock: clock,
            link: dispatchLink, express: express, bell: bells.dispatcher, monitor: dispatchMonitor, metrics: metrics,
            traces: traces, refusals: refusals.dispatch,
            logger: logger)
        let deliveries = DeliveryService(
            store: store, leadership: leadership, clock: clock, live: live,
            receivers: configuration.receivers.map { Receivers.make($0) },
            answers: configuration.answer.map(SignedAnswerLinks.init), bell: bells.deliveries,
            dispatcher: bells.dispatcher, metrics: metrics, health: receiverHealth,
            monitor: LoopMonitor("deliveries", fatal: fatal), logger: logger)
        let supervision = SupervisionService(
            store: store, leadership: leadership, live: live, memory: memory, connection: connection, ingest: pipeline.health,
            clock: clock,
            bells: bells, fatal: fatal, logger: logger)
        let reloader = Reloader(
            live: live, memory: memory, store: store, registryWrites: registryWrites, bells: bells, clock: clock,
            logger: logger)
        self.reloader = reloader
        let clockSteps = ClockStepWatch(
            clock: clock, store: store, memory: memory, connection: connection, bells: bells, metrics: metrics, logger: logger)
        var monitoring: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // In a cluster the lease is kept from after the status writer to the end: the
        // dispatcher, stopping before it, sends what is left while this node still leads.
        let cluster: [ServiceGroupConfiguration.ServiceConfiguration] =
            configuration.cluster.map { settings in
                [
                    .init(
                        service: LeaseKeeper(
                            store: store, leadership: leadership, node: settings.node, lease: settings.lease,
                            bells: [bells.scheduler, bells.dispatcher, bells.deliveries], metrics: metrics, logger: logger))
                ]
            } ?? []
        if let http = configuration.http {
            let inputs = MonitoringServer.Inputs(
                metrics: metrics, connection: connection, health: databaseHealth, memory: memory, store: store,
                refusals: refusals, receivers: receiverHealth,
                answers: configuration.answer.map { _ in
                    AnswerDesk(store: store, live: live, clock: clock, bells: bells, metrics: metrics, logger: logger)
                },
                pushSources: configuration.pushSources,
                pushes: configuration.pushSources.isEmpty
                    ? nil : PushDesk(pipeline: pipeline, metrics: metrics, logger: logger),
                leadership: leadership)
            monitoring.append(
                .init(service: MonitoringServer.application(host: http.host, port: http.port, inputs: inputs, logger: logger)))
        }
        // Services stop in reverse order: the service manager is told STOPPING=1, /metrics and
        // /healthz close, supervision and the scheduler stop (no new calls from the clock), then the ingest session (no new messages), the QoS 0 worker handles
        // what it holds, the dispatcher sends the calls those last messages caused and closes
        // its own connection, the flusher writes the last heartbeats, and the status is marked
        // stopped.
        group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: status)
                ] + cluster + [
                    .init(service: flusher), .init(service: dispatcher),
                    .init(service: deliveries),
                    .init(service: DeferredIngestService(worker: deferred)),
                    .init(service: MQTTSessionService(client: client, pipeline: pipeline)),
                    .init(
                        service: ChangeWatcher(
                            store: store, bells: [bells.scheduler, bells.dispatcher, bells.deliveries], logger: logger)),
                    .init(service: scheduler), .init(service: supervision), .init(service: clockSteps),
                    .init(
                        service: RetentionPruner(store: store, clock: clock, retention: configuration.retention, logger: logger)),
                    .init(service: MemoryTrimmer()), .init(service: mirror),
                    .init(service: StrangerExpiry(store: store, memory: memory, clock: clock, logger: logger)),
                    .init(service: ReloadService(reloader: reloader, signals: options.reloadSignals)),
                ] + monitoring + [
                    // Last, so it is the first told of a shutdown: STOPPING=1 goes out at once.
                    .init(
                        service: ServiceManagerNotifier(
                            connection: connection, memory: memory, store: store,
                            monitors: [pipeline.monitor, deferred.monitor, schedulerMonitor, dispatchMonitor],
                            reload: reloader.outcome, logger: logger))
                ],
                gracefulShutdownSignals: options.shutdownSignals,
                logger: logger))
        logger.info(
            "database open",
            metadata: [
                "database": "\(configuration.postgres?.redactedURL ?? configuration.databasePath)",
                "registered": "\(configuration.devices.count)",
                "node": "\(configuration.cluster?.node ?? "-")",
                "heard": "\(memory.heardCount)",
            ])
    }

    /// The store the configuration names: its PostgreSQL database (as this cluster node), or
    /// its SQLite file.
    static func openStore(_ configuration: GatewayConfiguration, walCheckpoints: WALCheckpoints = .daemon) throws
        -> Store
    {
        guard let postgres = configuration.postgres else {
            return try Store(path: configuration.databasePath, walCheckpoints: walCheckpoints)
        }
        return try Store(postgres: postgres, node: configuration.cluster?.node)
    }

    /// The broker password from `broker.password_file` (its first line, trimmed), if set.
    static func password(_ broker: GatewayConfiguration.Broker) throws -> String? {
        guard let file = broker.passwordFile else { return nil }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigurationError(problems: [ConfigurationProblem(file: file, message: "cannot read the broker password file")]
            )
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).first.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs until `shutdown()` (or a signal the caller forwards), then finishes what it holds.
    /// A store error that no retry can fix stops it the same way, after which this throws
    /// `DaemonFailure`: the caller exits non-zero, and the broker redelivers to the next start.
    public func run() async throws {
        // Every service runs on threads that may wait for the store (see `DaemonThreads`).
        defer { store.close() }
        try await withTaskExecutorPreference(DaemonThreads.shared) { try await runServices() }
    }

    private func runServices() async throws {
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await self.group.run()
                return true
            }
            tasks.addTask {
                await self.fatal.bell.wait(timeout: nil)
                guard !Task.isCancelled else { return false }
                self.pipeline.stopping.store(true, ordering: .relaxed)
                await self.group.triggerGracefulShutdown()
                return false
            }
            // Once the group has ended (a shutdown, or a failure's), the failure's watch goes too.
            while let groupEnded = try await tasks.next() {
                if groupEnded { tasks.cancelAll() }
            }
        }
        if let failure = fatal.failure { throw failure }
    }

    /// Re-reads the configuration and puts the chain, the registry, the ladder, the
    /// supervision profiles and the dispatch prefix in force without a restart; reports what
    /// else changed and waits for one. A configuration with problems throws them all, and the
    /// daemon goes on with the one in force. `reloadSignals` call this too.
    public func reload() async throws(ConfigurationError) -> ReloadReport {
        try await reloader.reload()
    }

    /// Starts a graceful shutdown: stop taking messages, flush, mark the status stopped.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// Whether the broker session is up with every subscription granted.
    public var isConnected: Bool { connection.isConnected }

    /// Messages taken off the broker since start, accepted or not.
    public var receivedCount: Int { memory.counters.received }

    /// Heartbeats accounted for in memory since start.
    public var heartbeatCount: Int { memory.counters.heartbeats }
}
