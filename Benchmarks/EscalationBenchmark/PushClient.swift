import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to the daemon's push endpoint, as a platform's pusher
/// holds it: blocking, one request at a time, the answer read by its `Content-Length`. Used
/// by one thread at a time (hence `@unchecked`).
final class PushClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("no socket for the push client") }
        var wait = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw BenchError("the push endpoint on port \(port) refused the connection")
        }
    }

    deinit { close(fd) }

    /// POSTs `body` to `path` and returns the answer's status (0 if the connection failed).
    func post(_ path: String, _ body: String) -> Int {
        let bytes = Array(body.utf8)
        let head = Array(
            ("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(bytes.count)\r\n\r\n").utf8)
        let request = head + bytes
        guard send(fd, request, request.count, 0) == request.count else { return 0 }
        return readAnswer()
    }

    private func readAnswer() -> Int {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            if let end = headerEnd() {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
                let length =
                    lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while buffer.count < end + 4 + length {
                    let count = recv(fd, &chunk, chunk.count, 0)
                    guard count > 0 else { return 0 }
                    buffer.append(contentsOf: chunk[0..<count])
                }
                buffer.removeFirst(end + 4 + length)
                return status
            }
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return 0 }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}
