import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP relay between a client and a server, which a test can cut as a network
/// partition does: `cut()` stops carrying bytes both ways and answers nothing (no reset, no
/// close), so the client's requests hang as they would across a dead link; `restore()`
/// carries them again. `endAfterNextRow()` ends a PostgreSQL connection in the middle of an
/// answer, as a server that dies does. Everything runs on threads of its own, each loop
/// bounded by `poll` timeouts, and `close()` (or deinit) ends them.
public final class TCPRelay: @unchecked Sendable {
    /// The port clients connect to.
    public let port: Int
    private let target: Int
    private let listener: Int32
    private let lock = NSLock()
    private var isCut = false
    private var endingAfterRow = false
    private var answersEnded = 0
    private var isClosed = false
    private var sockets: [Int32] = []

    /// Listens on a free loopback port and relays to `127.0.0.1:target`.
    public init(to target: Int) throws {
        self.target = target
        port = try FreePort.find()
        listener = try Self.listen(on: port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { close() }

    /// Stops carrying bytes, silently, both ways (connections stay open).
    public func cut() { lock.withLock { isCut = true } }

    /// Carries bytes again.
    public func restore() { lock.withLock { isCut = false } }

    /// Ends the next connection whose server sends a PostgreSQL row (a `DataRow` message):
    /// the client gets the bytes up to the end of that row and, in the same segment, the end
    /// of the stream, with the rest of the answer (its `CommandComplete`) never sent, as from
    /// a server that died while answering. Once.
    public func endAfterNextRow() { lock.withLock { endingAfterRow = true } }

    /// Connections `endAfterNextRow()` has ended.
    public var connectionsEndedInAnswer: Int { lock.withLock { answersEnded } }

    /// Ends every connection and the listener.
    public func close() {
        let open = lock.withLock {
            guard !isClosed else { return [Int32]() }
            isClosed = true
            defer { sockets = [] }
            return sockets + [listener]
        }
        for socket in open {
            shutdown(socket, Int32(SHUT_RDWR))
            Glibc.close(socket)
        }
    }

    private var closed: Bool { lock.withLock { isClosed } }
    private var carrying: Bool { lock.withLock { !isCut } }

    /// Whether a row should end the connection now (and no other after it).
    private func takeEndingAfterRow() -> Bool {
        lock.withLock {
            defer { endingAfterRow = false }
            if endingAfterRow { answersEnded += 1 }
            return endingAfterRow
        }
    }

    private func acceptLoop() {
        while !closed {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            // A cut link answers no new connection either: it is left waiting.
            guard let server = try? Self.connect(to: target) else {
                Glibc.close(client)
                continue
            }
            let kept = lock.withLock {
                guard !isClosed else { return false }
                sockets += [client, server]
                return true
            }
            guard kept else {
                Glibc.close(client)
                Glibc.close(server)
                continue
            }
            Thread { [self] in pump(client, server) }.start()
        }
    }

    /// Carries bytes between the two sockets (`a` the client's, `b` the server's) until either
    /// closes or the relay does.
    private func pump(_ a: Int32, _ b: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var descriptors = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var serverMessages = PostgresMessageEnds()
        while !closed {
            guard carrying else {
                usleep(50_000)
                continue
            }
            guard poll(&descriptors, 2, 200) > 0 else { continue }
            for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
                let from = descriptor.fd
                let to = index == 0 ? b : a
                let count = read(from, &buffer, buffer.count)
                guard count > 0 else { return }
                if from == b, let rowEnd = serverMessages.ends(of: UInt8(ascii: "D"), in: buffer[0..<count]).first,
                    takeEndingAfterRow()
                {
                    endInAnswer(client: a, server: b, with: buffer[0..<rowEnd])
                    return
                }
                guard Self.send(buffer[0..<count], to: to) else { return }
            }
        }
    }

    /// Sends `bytes` and the end of the stream together (corked, so one segment carries
    /// both), then closes both sides.
    private func endInAnswer(client: Int32, server: Int32, with bytes: ArraySlice<UInt8>) {
        var yes: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_CORK, &yes, socklen_t(MemoryLayout<Int32>.size))
        _ = Self.send(bytes, to: client)
        shutdown(client, Int32(SHUT_WR))
        usleep(100_000)
        for socket in [client, server] {
            let owned = lock.withLock {
                guard let index = sockets.firstIndex(of: socket) else { return false }
                sockets.remove(at: index)
                return true
            }
            if owned { Glibc.close(socket) }
        }
    }

    /// Writes all of `bytes` to `socket`; false if it is gone.
    private static func send(_ bytes: ArraySlice<UInt8>, to socket: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let sent = bytes.withUnsafeBytes { write(socket, $0.baseAddress! + written, bytes.count - written) }
            guard sent > 0 else { return false }
            written += sent
        }
        return true
    }

    private static func listen(on port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSupportError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(socket, 64) == 0 else {
            Glibc.close(socket)
            throw TestSupportError("cannot listen on 127.0.0.1:\(port)")
        }
        return socket
    }

    private static func connect(to port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSupportError("socket() failed") }
        var address = loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw TestSupportError("cannot connect to 127.0.0.1:\(port)")
        }
        return socket
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}
