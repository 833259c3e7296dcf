import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Plays systemd's part in the notify protocol: a datagram socket a daemon finds in
/// `$NOTIFY_SOCKET`, whose messages (`READY=1`, `WATCHDOG=1`, `STATUS=…`) the test reads.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    /// Binds `path`, or a fresh `notify.sock` in a temporary folder. (Tests of journal logging
    /// bind one as journald's `socket`: both protocols are datagrams of `FIELD=value` lines.)
    public init(path: String? = nil) throws {
        self.path = try path ?? TemporaryFolder.make(prefix: "notify").appendingPathComponent("notify.sock").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("cannot create a datagram socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(self.path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw TestSupportError("socket path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw TestSupportError("cannot bind \(self.path): \(String(cString: strerror(errno)))") }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Every message that arrives within `timeout`, each as its lines; with `wanted`, returns
    /// as soon as a message holding that line has arrived. Waits on a thread of its own.
    public func receive(for timeout: TimeInterval, until wanted: String? = nil) async -> [String] {
        await receiveTimed(for: timeout, until: wanted).map(\.text)
    }

    /// `receive`, with when each message arrived.
    public func receiveTimed(for timeout: TimeInterval, until wanted: String? = nil) async -> [(at: Date, text: String)] {
        (try? await onOwnThread { self.receiveBlocking(for: timeout, until: wanted) }) ?? []
    }

    /// `receiveTimed`, blocking the calling thread: only for a thread of the caller's own, never
    /// in async code (see `onOwnThread`).
    public func receiveBlocking(for timeout: TimeInterval, until wanted: String? = nil) -> [(at: Date, text: String)] {
        var messages: [(at: Date, text: String)] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return messages }
            var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptorSet, 1, Int32(left * 1_000)) > 0 else { return messages }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { messages.append((Date(), String(decoding: buffer.prefix(count), as: UTF8.self))) }
            if let wanted, messages.last?.text.split(separator: "\n").contains(Substring(wanted)) == true { return messages }
        }
    }
}
