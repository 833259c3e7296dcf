import CMosquitto
import Foundation

/// Reading in passes, for ingest: every message waiting on the socket is read, the delegate
/// finishes them (`mqttClientEndedReadPass`: ingest commits the pass's alarms in one
/// transaction), and only then is anything written, their PUBACKs among it.
///
/// libmosquitto queues a QoS 1 message's PUBACK before it calls `on_message`, and its own
/// loop writes the queue after each packet it reads: a message must be stored before its
/// handler returns, one transaction per message. Here the client drives libmosquitto's read,
/// write and keep-alive steps itself (`mosquitto_loop_read`, `_write`, `_misc`), so the queue
/// is written only after the pass's messages are stored. Nothing leaves earlier: no other
/// thread writes this client's socket (in threaded mode `mosquitto_publish` only queues), and
/// the pass ends, and the delegate is called, even when a read fails.
extension MQTTClient {
    /// At most this many packets in one pass, so that the PUBACKs and keep-alives of a long
    /// burst still leave (ingest commits a pass in transactions of at most `IngestBatch.limit`).
    static let passPackets = 2_000
    /// The longest a pass's poll waits for data; `stop()` and `publish` cut it short.
    static let passWait: Int32 = 1_000

    /// One pass: wait for data (or for something to send), read all that waits, let the
    /// delegate store it, write, keep the session alive. A libmosquitto code, as `mosquitto_loop`.
    func readPass() -> Int32 {
        let socket = mosquitto_socket(handle)
        guard socket >= 0 else { return MOSQ_ERR_NO_CONN.rawValue }
        var events = Int16(POLLIN)
        if mosquitto_want_write(handle) { events |= Int16(POLLOUT) }
        var watched = [
            pollfd(fd: socket, events: events, revents: 0),
            pollfd(fd: wakeUp.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&watched, 2, Self.passWait)
        if ready < 0 { return errno == EINTR ? MOSQ_ERR_SUCCESS.rawValue : MOSQ_ERR_ERRNO.rawValue }
        if watched[1].revents != 0 { wakeUp.drain() }
        if watched[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            let code = readWaitingPackets(socket)
            // Always: what was handed over is stored even if the connection just failed (its
            // PUBACKs are lost with it, and the broker redelivers what the store recognises).
            delegate?.mqttClientEndedReadPass(self)
            guard code == MOSQ_ERR_SUCCESS.rawValue else { return code }
        }
        guard mosquitto_socket(handle) >= 0 else { return MOSQ_ERR_NO_CONN.rawValue }
        if mosquitto_want_write(handle) {
            let code = mosquitto_loop_write(handle, 1)
            guard code == MOSQ_ERR_SUCCESS.rawValue else { return code }
        }
        return mosquitto_loop_misc(handle)
    }

    /// Reads packets while the socket has more, up to `passPackets`; each message goes to the
    /// delegate marked `acknowledgedAfterPass`.
    private func readWaitingPackets(_ socket: Int32) -> Int32 {
        readingPass = true
        defer { readingPass = false }
        var code = MOSQ_ERR_SUCCESS.rawValue
        var packets = 0
        repeat {
            // One packet (more while TLS holds decrypted bytes), with its callbacks.
            code = mosquitto_loop_read(handle, 1)
            packets += 1
        } while code == MOSQ_ERR_SUCCESS.rawValue && packets < Self.passPackets && mosquitto_socket(handle) == socket
            && Self.hasData(socket)
        return code
    }

    /// Whether `socket` has bytes to read now (or is closed), without waiting.
    private static func hasData(_ socket: Int32) -> Bool {
        var watched = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&watched, 1, 0) > 0
    }
}
