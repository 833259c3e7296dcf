import Foundation
import Logging
import SmokeGateCore
import SmokeGateMQTT
import SmokeGateStore
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
    /// The incident rules and the chain; every durable event goes through them.
    let desk: IncidentDesk
    let bells: Bells
    /// Marks each message the network thread handles, for the watchdog.
    let monitor = LoopMonitor("ingest")
    /// The worker QoS 0 messages are handed to (set once, before the session starts).
    var deferred: DeferredIngest?
    /// Set when the daemon stops: a commit that keeps failing then gives up (see
    /// `commitDurably`) instead of holding the shutdown forever.
    let stopping = Atomic<Bool>(false)

    init(
        normalizer: MessageNormalizer, store: Store, memory: DeviceMemory, connection: ConnectionState, clock: GatewayClock,
        desk: IncidentDesk, bells: Bells, logger: Logger, faultInjection: FaultInjection?
    ) {
        self.clock = clock
        self.desk = desk
        self.bells = bells
        self.normalizer = normalizer
        self.store = store
        self.memory = memory
        self.connection = connection
        self.logger = logger
        self.faultInjection = faultInjection
    }

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        monitor.begin()
        defer { monitor.end() }
        let raw = RawMessage(topic: message.topic, payload: message.payload, receivedAt: clock.now())
        guard let deferred else { return ingest(raw, client: client) }
        // QoS 0 has no acknowledgement to hold back, and a heartbeat can open no incident:
        // both go to the worker. Anything else is committed before this returns.
        if message.qos == 0 || normalizer.isNativeHeartbeat(raw) {
            deferred.enqueue(raw)
        } else {
            deferred.waitUntilIdle()
            ingest(raw, client: client)
        }
    }

    func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {
        connection.set(connected)
        logger.info(
            connected ? "broker session up, subscriptions granted" : "broker session down", metadata: ["detail": "\(detail)"])
    }

    /// Handles one message; never throws, and returns only once durable events are committed.
    /// `client` is the connection whose acknowledgement waits on this (nil for QoS 0).
    func ingest(_ message: RawMessage, client: MQTTClient? = nil) {
        // A message stamped just before a wall-clock step and handled after it is put in the
        // clock's new frame, and no step is applied until its deadlines are stored.
        clock.holdingFrame {
            var message = message
            message.receivedAt = clock.reframed(message.receivedAt)
            ingestHoldingFrame(message, client: client)
        }
    }

    private func ingestHoldingFrame(_ message: RawMessage, client: MQTTClient?) {
        let (format, outcome) = normalizer.normalize(message) { memory.condition(of: $0) }
        switch outcome {
        case .ignored:
            memory.ignore(format: format)
        case .rejected(let rejection):
            logger.debug("rejected a message", metadata: ["topic": "\(message.topic)", "reason": "\(rejection)"])
            memory.reject(
                RejectedMessage(
                    receivedAt: message.receivedAt, topic: message.topic, format: format, rejection: rejection,
                    payload: Array(message.payload.prefix(4_096))))
        case .accepted(let decoded) where decoded.isHeartbeat:
            memory.apply(decoded, receivedAt: message.receivedAt, flushLater: true)
        case .accepted(let decoded):
            commitDurably(decoded, message: message, client: client)
        }
    }

    private func commitDurably(_ decoded: DecodedMessage, message: RawMessage, client: MQTTClient?) {
        if faultInjection == .crashBeforeCommit, decoded.events.contains(where: { $0.kind == .alarm }) {
            faultInjection?.crash()
        }
        if faultInjection == .stallOnAlarm, decoded.events.contains(where: { $0.kind == .alarm }) {
            Thread.sleep(forTimeInterval: FaultInjection.stall)
        }
        let payload = String(decoding: message.payload, as: UTF8.self)
        let incoming = decoded.events.map {
            IncomingEvent(event: $0, topic: message.topic, payload: payload, receivedAt: message.receivedAt)
        }
        let state = memory.projected(decoded, receivedAt: message.receivedAt)
        var attempt = 0
        while true {
            do {
                let committed = try store.commit(incoming, state: state, desk: desk)
                let new = committed.stored.filter { $0 }.count
                memory.apply(
                    decoded, receivedAt: message.receivedAt, flushLater: false, stored: new,
                    duplicates: committed.stored.count - new)
                if decoded.events.contains(where: { $0.kind == .offline }) { memory.markOffline(decoded.deviceID) }
                bells.wake(for: committed.effects)
                for (event, isNew) in zip(decoded.events, committed.stored) {
                    logger.log(
                        level: event.kind == .alarm ? .notice : .info,
                        isNew ? "stored \(event.kind.rawValue)" : "redelivered \(event.kind.rawValue) already stored",
                        metadata: ["device": "\(event.deviceID)", "format": "\(event.format.rawValue)"])
                }
                break
            } catch {
                // Not returning holds back the PUBACK: the broker keeps the message until the
                // database takes it, so a failed write loses nothing.
                attempt += 1
                if stopping.load(ordering: .relaxed) {
                    // Stopping, and the database still refuses: cut the connection so that the
                    // acknowledgement is never sent and the broker redelivers at the next start.
                    client?.abandonConnection()
                    logger.critical(
                        client == nil
                            ? "stopping with a QoS 0 event that could not be stored: it is lost"
                            : "stopping with an event that could not be stored: left unacknowledged for the broker to redeliver",
                        metadata: ["device": "\(decoded.deviceID)", "error": "\(error)"])
                    return
                }
                // A loop retrying a refused write is alive (a restart would not free the disk or
                // the lock): the watchdog keeps beating, while /healthz and the log say why.
                monitor.begin()
                logger.critical(
                    "cannot store an event; holding it and retrying",
                    metadata: ["device": "\(decoded.deviceID)", "attempt": "\(attempt)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: min(0.05 * Double(attempt), 1))
            }
        }
        if faultInjection == .crashAfterCommit, decoded.events.contains(where: { $0.kind == .alarm }) {
            faultInjection?.crash()
        }
    }
}

/// The bells of the services that act on incident changes.
struct Bells: Sendable {
    /// Wakes the escalation scheduler: a deadline was set.
    let scheduler = Doorbell()
    /// Wakes the dispatcher: notifications were written, or the broker is back.
    let dispatcher = Doorbell()

    func wake(for effects: IncidentEffects) {
        if effects.notifications > 0 { dispatcher.ring() }
        if effects.earliestDeadline != nil { scheduler.ring() }
    }
}
