import CMosquitto
import Foundation
import Logging

/// libmosquitto as a Swift object: a persistent session, QoS 1 subscriptions renewed on
/// every connection (one refused or downgraded is asked for again every
/// `subscriptionRetry`, and the client is not connected until each is granted), reconnect
/// with capped exponential backoff, and a network thread that is restarted if libmosquitto's
/// loop gives up.
///
/// The loop runs in threaded mode, so a PUBACK that libmosquitto queues while
/// `on_message` runs reaches the socket only after the handler returns: a delegate that
/// commits a message before returning gets at-least-once delivery for free. With
/// `acknowledgesByReadPass` (ingest), the client reads in passes instead, and a pass's
/// acknowledgements wait for the delegate's `mqttClientEndedReadPass`: a burst can then be
/// committed in one transaction, with nothing acknowledged before it is stored.
public final class MQTTClient: @unchecked Sendable {
    public let options: MQTTOptions
    let logger: Logger
    weak var delegate: (any MQTTClientDelegate)?
    let handle: OpaquePointer
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?
    private var loopFinished = DispatchSemaphore(value: 0)
    private var connectedState = false
    let grants = SubscriptionGrants()
    private let confirmations = PublishConfirmations()
    /// Read passes (`MQTTOptions.acknowledgesByReadPass`): whether the session is up, so that
    /// passes run, and whether one is reading now. Both touched on the network thread only.
    var sessionUp = false
    var readingPass = false
    /// Wakes a read pass's poll when this client has something to send or stops: libmosquitto
    /// wakes only its own loop (`MQTTClient+ReadPass.swift`).
    let wakeUp = WakePipe()

    /// Creates the client; nothing touches the network before `start()`.
    public init(options: MQTTOptions, delegate: any MQTTClientDelegate, logger: Logger) throws {
        MQTTLibrary.initialise()
        self.options = options
        self.delegate = delegate
        self.logger = logger
        guard let handle = mosquitto_new(options.clientID, options.cleanSession, nil) else {
            throw MQTTError(operation: "mosquitto_new", code: Int32(errno), message: String(cString: strerror(errno)))
        }
        self.handle = handle
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        try check("threaded mode", mosquitto_threaded_set(handle, true))
        let version = options.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        try check("protocol version", mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(version)))
        try check("TCP_NODELAY", mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, options.tcpNoDelay ? 1 : 0))
        if let username = options.username {
            try check("credentials", mosquitto_username_pw_set(handle, username, options.password))
        }
        if let tls = options.tls {
            try check("TLS", mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil))
        }
        installCallbacks()
    }

    deinit {
        mosquitto_destroy(handle)
    }

    /// Whether the session is up and every subscription granted.
    public var isConnected: Bool { lock.withLock { connectedState } }

    /// Starts the network thread, which connects and keeps reconnecting until `stop()`.
    public func start() {
        lock.withLock {
            guard !running else { return }
            running = true
            loopFinished = DispatchSemaphore(value: 0)
            let thread = Thread { [self] in self.runLoop() }
            thread.name = "mqtt-\(options.clientID)"
            self.thread = thread
            thread.start()
        }
    }

    /// Disconnects cleanly and waits for the network thread to finish.
    public func stop() {
        let wasRunning = lock.withLock {
            let was = running
            running = false
            return was
        }
        guard wasRunning else { return }
        mosquitto_disconnect(handle)
        wakeUp.ring()
        loopFinished.wait()
        // The thread's closure holds this client: let go of it, so that a stopped client is
        // freed (its libmosquitto handle destroyed, its socket pair closed).
        lock.withLock { thread = nil }
    }

    /// Cuts the connection without a word to the broker: whatever acknowledgement is queued
    /// is never sent, so the broker keeps those messages for the session's next connection.
    /// For a message that cannot be stored while the daemon stops.
    public func abandonConnection() {
        let socket = mosquitto_socket(handle)
        if socket >= 0 { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Publishes one message; returns its message id (matched by the delegate's `published`).
    @discardableResult
    public func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool = false) throws -> Int32 {
        var messageID: Int32 = 0
        let code = payload.withUnsafeBytes { buffer in
            mosquitto_publish(handle, &messageID, topic, Int32(buffer.count), buffer.baseAddress, qos, retain)
        }
        try check("publish to \(topic)", code)
        if options.acknowledgesByReadPass { wakeUp.ring() }
        return messageID
    }

    /// Publishes `messages` at QoS 1 and waits until the broker has answered them all or
    /// `timeout` has passed. Returns, per message, what became of it: confirmed, refused (by
    /// the broker's PUBACK reason, which only MQTT 5 gives, or by libmosquitto), or
    /// unconfirmed. One batch at a time: the dispatcher is the only caller.
    public func publishConfirmed(_ messages: [(topic: String, payload: [UInt8])], timeout: Duration) async
        -> [PublishOutcome]
    {
        await publishTimed(messages, timeout: timeout).map(\.outcome)
    }

    /// `publishConfirmed`, with when each message was handed to libmosquitto and when the
    /// broker's answer came (nil: no answer), for the stage timings of an alarm's call.
    public func publishTimed(_ messages: [(topic: String, payload: [UInt8])], timeout: Duration) async
        -> [TimedPublish]
    {
        await answers(to: messages.map { hand(topic: $0.topic, payload: $0.payload) }, timeout: timeout)
    }

    /// Hands one message to libmosquitto at QoS 1 without waiting for its PUBACK: from any
    /// thread, and quickly (in threaded mode libmosquitto only queues it and wakes its network
    /// thread). Its answer is awaited with `answers(to:timeout:)`.
    public func hand(topic: String, payload: [UInt8]) -> HandedPublish {
        let before = ContinuousClock.now
        let messageID: Result<Int32, MQTTError>
        do {
            messageID = .success(try publish(topic: topic, payload: payload, qos: 1))
        } catch let error as MQTTError {
            logger.warning(
                "cannot hand a notification to libmosquitto", metadata: ["topic": "\(topic)", "error": "\(error)"])
            messageID = .failure(error)
        } catch {
            messageID = .failure(MQTTError(operation: "publish", code: -1, message: "\(error)"))
        }
        return HandedPublish(messageID: messageID, before: before, handedAt: .now)
    }

    /// Waits until the broker has answered every message of `handed` or `timeout` has passed;
    /// returns, per message, what became of it: confirmed, refused (by the broker's PUBACK
    /// reason, which only MQTT 5 gives, or by libmosquitto), or unconfirmed. One waiter at a
    /// time: the dispatcher is the only caller.
    public func answers(to handed: [HandedPublish], timeout: Duration) async -> [TimedPublish] {
        let awaited = handed.compactMap { publish in (try? publish.messageID.get()).map { ($0, publish.before) } }
        let answers = await confirmations.wait(for: awaited, timeout: timeout)
        return handed.map { publish in
            switch publish.messageID {
            case .failure(let error):
                let outcome: PublishOutcome =
                    PublishRefusal.isPermanent(libraryError: error.code)
                    ? .refused(PublishRefusal(libraryError: error.code)) : .unconfirmed
                return TimedPublish(outcome: outcome, handedAt: publish.handedAt, answeredAt: nil)
            case .success(let id):
                guard let answer = answers[id] else {
                    return TimedPublish(outcome: .unconfirmed, handedAt: publish.handedAt, answeredAt: nil)
                }
                let outcome: PublishOutcome =
                    answer.reason >= MQTTReason.firstRefusal
                    ? .refused(PublishRefusal(brokerReason: answer.reason)) : .confirmed
                return TimedPublish(outcome: outcome, handedAt: publish.handedAt, answeredAt: answer.at)
            }
        }
    }

    private func runLoop() {
        if options.acknowledgesByReadPass { wakeUp.open() }
        defer {
            wakeUp.close()
            loopFinished.signal()
        }
        var delay = Double(options.reconnectDelay.minimum)
        var connected = false
        while lock.withLock({ running }) {
            if !connected {
                let code = mosquitto_connect(handle, options.host, Int32(options.port), Int32(options.keepAlive))
                if code == MOSQ_ERR_SUCCESS.rawValue {
                    connected = true
                    delay = Double(options.reconnectDelay.minimum)
                } else {
                    logger.warning(
                        "cannot connect to the broker",
                        metadata: ["broker": "\(options.host):\(options.port)", "error": "\(Self.describe(code))"])
                    sleepWhileRunning(seconds: delay)
                    delay = min(delay * 2, Double(options.reconnectDelay.maximum))
                    continue
                }
            }
            // Our own loop rather than mosquitto_loop_forever: that one keeps reconnecting
            // until a disconnect it has seen, and a disconnect asked for while the broker is
            // away is never seen, so stop() would wait forever. This one checks `running` at
            // least once a second and leaves reconnecting to the code below.
            var code = MOSQ_ERR_SUCCESS.rawValue
            while code == MOSQ_ERR_SUCCESS.rawValue, lock.withLock({ running }) {
                // Once the session is up, ingest reads in passes: a pass's acknowledgements
                // leave after its messages are stored (MQTTClient+ReadPass.swift). Until then
                // (CONNACK), libmosquitto's own loop.
                code = options.acknowledgesByReadPass && sessionUp ? readPass() : mosquitto_loop(handle, 1_000, 1)
                if code == MOSQ_ERR_SUCCESS.rawValue { askAgainForRefusedSubscriptions() }
            }
            sessionUp = false
            guard lock.withLock({ running }) else { break }
            logger.error(
                "connection to the broker lost; reconnecting",
                metadata: ["error": "\(Self.describe(code))", "retry_in": "\(delay)s"])
            setConnected(false, detail: Self.describe(code))
            sleepWhileRunning(seconds: delay)
            delay = min(delay * 2, Double(options.reconnectDelay.maximum))
            connected = mosquitto_reconnect(handle) == MOSQ_ERR_SUCCESS.rawValue
            if connected { delay = Double(options.reconnectDelay.minimum) }
        }
        setConnected(false, detail: "stopped")
    }

    private func sleepWhileRunning(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while lock.withLock({ running }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func setConnected(_ connected: Bool, detail: String) {
        let changed = lock.withLock {
            defer { connectedState = connected }
            return connectedState != connected
        }
        if changed { delegate?.mqttClient(self, connectionChanged: connected, detail: detail) }
    }

    private func check(_ operation: String, _ code: Int32) throws {
        guard code == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError(operation: operation, code: code, message: Self.describe(code))
        }
    }

    static func describe(_ code: Int32) -> String {
        if code == MOSQ_ERR_ERRNO.rawValue { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(code))
    }

    // MARK: Callbacks, on the network thread

    fileprivate func handleConnect(_ code: Int32, flags: Int32) {
        guard code == 0 else {
            let reason = options.protocolVersion == .v5 ? MQTTReason.text(code) : String(cString: mosquitto_connack_string(code))
            logger.error("broker refused the connection", metadata: ["reason": "\(reason)"])
            return
        }
        let resumed = flags & 1 != 0
        sessionUp = true
        logger.info(
            "connected to the broker", metadata: ["broker": "\(options.host):\(options.port)", "session_present": "\(resumed)"])
        delegate?.mqttClient(self, sessionStarted: resumed)
        guard !options.subscriptions.isEmpty else {
            setConnected(true, detail: "connected")
            return
        }
        grants.beginSession()
        subscribe(options.subscriptions)
    }

    fileprivate func handleDisconnect(_ code: Int32) {
        sessionUp = false
        if code != 0 { logger.warning("lost the broker", metadata: ["reason": "\(Self.describe(code))"]) }
        setConnected(false, detail: code == 0 ? "disconnected" : Self.describe(code))
    }

    fileprivate func handleMessage(_ message: MQTTMessage) {
        var message = message
        message.acknowledgedAfterPass = readingPass
        delegate?.mqttClient(self, received: message)
    }

    /// A PUBACK (QoS 1) or the message sent (QoS 0). `reason` is the PUBACK's reason code:
    /// always 0 in MQTT 3.1.1, 0x80 and above a refusal in MQTT 5.
    fileprivate func handlePublished(_ messageID: Int32, reason: Int32) {
        confirmations.confirm(messageID, reason: reason)
        if reason < MQTTReason.firstRefusal { delegate?.mqttClient(self, published: messageID) }
    }

    private func installCallbacks() {
        mosquitto_connect_with_flags_callback_set(handle) { _, userdata, code, flags in
            MQTTClient.from(userdata)?.handleConnect(code, flags: flags)
        }
        mosquitto_disconnect_callback_set(handle) { _, userdata, code in
            MQTTClient.from(userdata)?.handleDisconnect(code)
        }
        mosquitto_subscribe_callback_set(handle) { _, userdata, messageID, count, granted in
            let codes = granted.map { Array(UnsafeBufferPointer(start: $0, count: Int(count))) } ?? []
            MQTTClient.from(userdata)?.handleSubscribe(messageID, granted: codes)
        }
        // The MQTT 5 callback, whatever the protocol: it alone carries the PUBACK's reason
        // code (libmosquitto calls the 3.1.1 one for a refused message too).
        mosquitto_publish_v5_callback_set(handle) { _, userdata, messageID, reason, _ in
            MQTTClient.from(userdata)?.handlePublished(messageID, reason: reason)
        }
        mosquitto_message_callback_set(handle) { _, userdata, message in
            guard let client = MQTTClient.from(userdata), let message, let topic = message.pointee.topic else { return }
            // libmosquitto frees both buffers when the callback returns: copy them now.
            let payload: [UInt8]
            if let bytes = message.pointee.payload, message.pointee.payloadlen > 0 {
                payload = Array(UnsafeRawBufferPointer(start: bytes, count: Int(message.pointee.payloadlen)))
            } else {
                payload = []
            }
            client.handleMessage(
                MQTTMessage(
                    topic: String(cString: topic), payload: payload, qos: message.pointee.qos,
                    retain: message.pointee.retain))
        }
    }

    private static func from(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient? {
        guard let userdata else { return nil }
        return Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue()
    }
}
