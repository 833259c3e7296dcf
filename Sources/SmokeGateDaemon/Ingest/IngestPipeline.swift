import Foundation
import Logging
import SmokeGateCore
import SmokeGateMQTT
import SmokeGateStore
import SmokeGateSync
import Synchronization

/// Takes messages off the MQTT network thread and turns them into stored facts.
///
/// A message that can open an incident is committed (synchronous FULL) before this
/// returns, and returning is what lets libmosquitto send the PUBACK: an alarm the broker
/// believes delivered is always on disk. Heartbeats only touch memory. QoS 0 messages, which
/// the broker never redelivers, are handed to a worker (`DeferredIngest`).
final class IngestPipeline: MQTTClientDelegate, @unchecked Sendable {
    let normalizer: MessageNormalizer
    let store: Store
    let memory: DeviceMemory
    let logger: Logger
    let faultInjection: FaultInjection?
    let connection: ConnectionState
    /// Stamps each message; a step of the wall clock is applied between messages, never
    /// during one (see `GatewayClock`).
    let clock: GatewayClock
    /// The incident rules and the chain in force; every durable event goes through them.
    let live: LiveConfiguration
    let bells: Bells
    /// Where a store error that no retry can fix stops the daemon.
    let fatal: FatalStop
    /// Marks each message the network thread handles, for the watchdog.
    let monitor = LoopMonitor("ingest")
    /// Whether ingest is stuck on the database, for supervision.
    let health: IngestHealth
    /// What the decoders may ask about devices (see `DecodingContext`).
    private(set) var decoding: DecodingContext
    /// The worker QoS 0 messages are handed to (set once, before the session starts).
    var deferred: DeferredIngest?
    /// Set when the daemon stops: a commit that keeps failing then gives up (see
    /// `commitDurably`) instead of holding the shutdown forever.
    let stopping = Atomic<Bool>(false)
    /// The broker session's opening moments, when redeliveries arrive.
    let session = SessionOpening()
    /// Zigbee2MQTT detectors already warned about alarming at QoS 0.
    let qosWarnings = QoSZeroWarnings()
    /// Zigbee2MQTT bridges' device lists (`IngestPipeline+Bridge.swift`).
    let bridgeDirectory = BridgeDirectory()
    /// Committed alarms' stage instants, for the dispatcher to complete at their calls' PUBACK.
    let traces: AlarmTraces
    /// Publishes a new fire's first calls as soon as they are committed.
    let express: ExpressCalls
    /// The read pass's messages waiting for their group commit (`IngestPipeline+Batch.swift`).
    let pass = IngestBatch()

    init(
        normalizer: MessageNormalizer, store: Store, memory: DeviceMemory, connection: ConnectionState, clock: GatewayClock,
        live: LiveConfiguration, bells: Bells, traces: AlarmTraces, express: ExpressCalls, fatal: FatalStop, logger: Logger,
        faultInjection: FaultInjection?
    ) {
        self.traces = traces
        self.express = express
        self.fatal = fatal
        self.clock = clock
        health = IngestHealth(monitor: monitor)
        self.live = live
        self.bells = bells
        self.normalizer = normalizer
        self.store = store
        self.memory = memory
        decoding = DecodingContext(
            condition: { [memory] in memory.condition(of: $0) },
            deviceForPlatformID: { [live] in live.configuration.devices.deviceID(forPlatformID: $0) })
        self.connection = connection
        self.logger = logger
        self.faultInjection = faultInjection
        decoding.zigbeeListing = { [unowned self] in self.zigbeeListing(bridge: $0, friendlyName: $1) }
    }

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        let entered = ContinuousClock.now
        monitor.begin()
        defer { monitor.end() }
        let raw = RawMessage(topic: message.topic, payload: message.payload, receivedAt: clock.now(), retained: message.retain)
        // A retained message is never an event: dropped at the door, before any decision that
        // could make the network thread wait.
        guard !raw.retained else { return ingest(raw) }
        var arrival = Arrival(
            client: client, qos: message.qos, mayBeRedelivery: message.qos > 0 && session.mayBeRedelivery(),
            entered: entered)
        guard let deferred else { return ingest(raw, arrival: arrival) }
        // What has no acknowledgement to hold back and certainly opens no incident (a QoS 0
        // heartbeat or routine state) goes to the worker, as do native heartbeats at any QoS.
        // Anything that might open an incident is committed before this returns, at QoS 0 too:
        // a message held in the worker's queue is lost if the daemon is killed.
        let setAside = message.qos == 0 ? normalizer.cannotOpenIncident(raw) : normalizer.isNativeHeartbeat(raw)
        if setAside {
            // A detector's later message never overtakes its earlier one waiting in the batch.
            if pass.holds(topic: raw.topic) { commitBatch() }
            deferred.enqueue(raw, waiter: monitor)
        } else if message.acknowledgedAfterPass {
            batch(raw, arrival: arrival)
        } else {
            deferred.waitUntilIdle(waiter: monitor)
            arrival.inTurn = .now
            ingest(raw, arrival: arrival)
        }
    }

    func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool) {
        session.begin(resumed: resumed)
    }

    func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {
        connection.set(connected)
        logger.info(
            connected ? "broker session up, subscriptions granted" : "broker session down", metadata: ["detail": "\(detail)"])
    }

    /// Handles one message; never throws, and returns only once durable events are committed.
    func ingest(_ message: RawMessage, arrival: Arrival = .setAside) {
        // A Zigbee2MQTT bridge's device list is read even though it is retained: a directory.
        if absorbsBridgeList(message) { return }
        guard !message.retained else {
            // The broker's replay of the topic's last message, of any age, sent because the
            // gateway subscribed: never a new event (field rule 4), nor proof of life.
            memory.ignore(format: normalizer.route(message.topic)?.format, retained: true)
            logger.debug("retained message is not an event", metadata: ["topic": "\(message.topic)"])
            return
        }
        inFrame(message) { message in
            let (format, outcome) = normalizer.normalize(message, context: decoding)
            var arrival = arrival
            arrival.decoded = .now
            return handle(message, format: format, outcome: outcome, arrival: arrival)
        }
    }

    /// Runs `body` on `message` in the clock's frame: a message stamped just before a
    /// wall-clock step and handled after it is put in the new frame, and no step is applied
    /// until its deadlines are stored.
    @discardableResult
    func inFrame(_ message: RawMessage, _ body: (RawMessage) -> IngestResult) -> IngestResult {
        clock.holdingFrame {
            var message = message
            message.receivedAt = clock.reframed(message.receivedAt)
            return body(message)
        }
    }

    /// Acts on one decoded message: records a rejection, keeps a heartbeat in memory, commits
    /// events (returning only once they are durable, or given up: see `commitDurably`), or,
    /// given a `group`, adds them to it for the caller to commit with others.
    @discardableResult
    func handle(
        _ message: RawMessage, format: PayloadFormat?, outcome: DecodeOutcome, arrival: Arrival, group: CommitGroup? = nil
    ) -> IngestResult {
        switch outcome {
        case .ignored:
            memory.ignore(format: format)
        case .rejected(let rejection):
            logger.debug("rejected a message", metadata: ["topic": "\(message.topic)", "reason": "\(rejection)"])
            memory.reject(
                RejectedMessage(
                    receivedAt: message.receivedAt, topic: message.topic, format: format, rejection: rejection,
                    payload: Array(message.payload.prefix(4_096))))
            return .rejected(rejection)
        case .accepted(let decoded) where turnsAway(decoded):
            break
        case .accepted(let decoded) where decoded.isHeartbeat && !changesCondition(decoded):
            memory.apply(decoded, receivedAt: message.receivedAt, flushLater: true)
        case .accepted(let decoded):
            if arrival.qos == 0, decoded.format == .zigbee2mqtt, decoded.events.contains(where: { $0.kind == .alarm }) {
                qosWarnings.warnOnce(decoded.deviceID, logger: logger)
            }
            let entry = PendingCommit(decoded: decoded, message: message, arrival: arrival)
            if let group {
                group.append(entry)
            } else {
                guard commitDurably([entry]) else { return .notStored }
            }
        }
        return .taken
    }

    /// Whether to count and drop a message of a new unregistered device past the number kept
    /// (rule 16; `DeviceMemory.strangerLimit`). Its alarms are never turned away.
    private func turnsAway(_ decoded: DecodedMessage) -> Bool {
        guard !decoded.events.contains(where: { $0.kind == .alarm }) else { return false }
        let (admitted, firstRefusal) = memory.admits(decoded.deviceID)
        if firstRefusal {
            logger.warning(
                "too many unregistered devices: messages of new ones are counted, not stored (their alarms still are)",
                metadata: [
                    "limit": "\(DeviceMemory.strangerLimit)", "device": "\(decoded.deviceID)",
                    "metric": "smokegate_unregistered_overflow_total",
                ])
        }
        return !admitted
    }

    /// Whether a message without events still changes the detector's condition (a Zigbee2MQTT
    /// state that shows a detector reachable again, or a test or mute flag lowered): only a
    /// durable commit writes the condition, so such a message takes that path too.
    private func changesCondition(_ decoded: DecodedMessage) -> Bool {
        guard let next = decoded.condition else { return false }
        return next != memory.condition(of: decoded.deviceID)
    }

    /// Commits the messages' events in one transaction, retrying a refused write; false when
    /// it gave up (a push's deadline passed, the daemon is stopping, or the store cannot ever
    /// take them). The messages come from one connection's pass, or are a single push.
    @discardableResult
    func commitDurably(_ entries: [PendingCommit]) -> Bool {
        guard let first = entries.first else { return true }
        let client = first.arrival.client
        let answerBy = first.arrival.answerBy
        let alarms = entries.contains { $0.decoded.events.contains { $0.kind == .alarm } }
        let devices = Self.devices(entries)
        if faultInjection == .crashBeforeCommit, alarms {
            faultInjection?.crash()
        }
        if faultInjection == .stallOnAlarm, alarms {
            Thread.sleep(forTimeInterval: FaultInjection.stall)
        }
        var messages = entries.map { entry in
            let payload = String(decoding: entry.message.payload, as: UTF8.self)
            let events = entry.decoded.events.map {
                IncomingEvent(
                    event: $0, topic: entry.message.topic, payload: payload, receivedAt: entry.message.receivedAt,
                    mayBeRedelivery: entry.arrival.mayBeRedelivery)
            }
            return (events: events, state: memory.projected(entry.decoded, receivedAt: entry.message.receivedAt))
        }
        var attempt = 0
        while true {
            do {
                let committed = try store.commit(messages, desk: live.desk)
                health.commitSucceeded()
                memory.countCommit(messages: entries.count)
                var effects = IncidentEffects()
                for (entry, result) in zip(entries, committed) {
                    trace(entry.decoded, arrival: entry.arrival, committed: result)
                    let new = result.stored.filter { $0 }.count
                    memory.apply(
                        entry.decoded, receivedAt: entry.message.receivedAt, flushLater: false, stored: new,
                        duplicates: result.stored.count - new)
                    if entry.decoded.events.contains(where: { $0.kind == .offline }) {
                        memory.markOffline(entry.decoded.deviceID)
                    }
                    effects.merge(result.effects)
                    for (event, isNew) in zip(entry.decoded.events, result.stored) {
                        logger.log(
                            level: event.kind == .alarm ? .notice : .info,
                            isNew ? "stored \(event.kind.rawValue)" : "redelivered \(event.kind.rawValue) already stored",
                            metadata: ["device": "\(event.deviceID)", "format": "\(event.format.rawValue)"])
                    }
                }
                // The calls this commit wrote wait in the outbox: a new fire's first calls leave
                // now (Escalation/ExpressCalls.swift), the dispatcher publishes the rest and
                // records what the broker answered (Escalation/Dispatcher.swift), the delivery
                // service sends them to receivers, the scheduler keeps the next deadline
                // (docs/architecture.md, steps 10-15).
                express.publish(effects.firstFireCalls)
                bells.wake(for: effects)
                break
            } catch {
                // Not returning holds back the PUBACK: the broker keeps the message until the
                // database takes it, so a failed write loses nothing.
                attempt += 1
                if StoreFailure.mayHaveCommitted(error) {
                    // PostgreSQL may have committed it: the next attempt is a redelivery of
                    // what may be stored, and the store recognises it if it is.
                    for message in messages.indices {
                        for event in messages[message].events.indices {
                            messages[message].events[event].mayBeRedelivery = true
                        }
                    }
                }
                health.commitFailed()
                guard StoreFailure.isTransient(error) else {
                    // The same on every attempt (a corrupt file, a row this version cannot
                    // read): cut the connection first, so that no PUBACK leaves for this
                    // message, and stop; the broker redelivers it to the restarted daemon.
                    client?.abandonConnection()
                    if client == nil, answerBy == nil {
                        logger.critical("a QoS 0 event could not be stored: it is lost", metadata: ["device": "\(devices)"])
                    }
                    fatal.fail(DaemonFailure(loop: "ingest", device: devices, error: "\(error)"), logger: logger)
                    return false
                }
                if let answerBy, ContinuousClock.now >= answerBy {
                    // A platform push: answering 503 now makes the platform retry, where
                    // holding the request longer makes it drop this push and the next ones.
                    logger.error(
                        "cannot store a pushed event in time: answered 503 for the platform to retry",
                        metadata: ["device": "\(devices)", "attempts": "\(attempt)", "error": "\(error)"])
                    return false
                }
                if stopping.load(ordering: .relaxed) || fatal.hasFailed {
                    // Stopping, and the database still refuses: cut the connection so that the
                    // acknowledgement is never sent and the broker redelivers at the next start.
                    client?.abandonConnection()
                    logger.critical(
                        client == nil && answerBy == nil
                            ? "stopping with a QoS 0 event that could not be stored: it is lost"
                            : "stopping with an event that could not be stored: left unacknowledged for the broker to redeliver",
                        metadata: ["device": "\(devices)", "error": "\(error)"])
                    return false
                }
                // A loop retrying a refused write is alive (a restart would not free the disk or
                // the lock): each attempt that returns keeps the watchdog beating, while /healthz
                // and the log say why. An attempt hung inside SQLite returns nothing and stops it.
                monitor.progressed()
                logger.critical(
                    "cannot store an event; holding it and retrying",
                    metadata: ["device": "\(devices)", "attempt": "\(attempt)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: min(0.05 * Double(attempt), 1))
            }
        }
        if faultInjection == .crashAfterCommit, alarms {
            faultInjection?.crash()
        }
        return true
    }

    /// The detectors of a commit, for the log: one id, or the first and how many more.
    private static func devices(_ entries: [PendingCommit]) -> String {
        guard let first = entries.first?.decoded.deviceID else { return "" }
        return entries.count == 1 ? first : "\(first) and \(entries.count - 1) more"
    }

    /// Keeps an alarm's ingest instants for the dispatcher, which completes them at its calls'
    /// PUBACK (`smokegate_alarm_stage_seconds`).
    private func trace(_ decoded: DecodedMessage, arrival: Arrival, committed: CommittedEvents) {
        guard let entered = arrival.entered, !committed.effects.calls.isEmpty,
            decoded.events.contains(where: { $0.kind == .alarm })
        else { return }
        let decoded = arrival.decoded ?? committed.began
        let stages = AlarmStages(
            entered: entered, inTurn: arrival.inTurn ?? entered, decoded: decoded, began: committed.began,
            written: committed.written, committed: .now)
        traces.ingested(stages, calls: committed.effects.calls)
    }
}
