import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SmokeGateCore

/// One request and its answer, told apart by whether the request had left: a failure before
/// the request head was written (no connection, DNS, TLS) reached no one and may be sent
/// again by every kind, while a lost or late answer may hide a text already on a phone.
/// The client's own errors do not say which, so a delegate notes the moment the head is sent.
enum HTTPExchange {
    /// What came of one request.
    enum Result: Sendable {
        /// An answer: its status, headers and (at most `maxBody` bytes of) body.
        case answered(status: Int, headers: HTTPHeaders, body: [UInt8])
        /// Nothing was written: the vendor cannot have acted on it.
        case notSent(String)
        /// Written, but no whole answer came back in time.
        case lost(String)
    }

    /// Answers longer than this are cut: vendors answer with a few hundred bytes of JSON.
    static let maxBody = 64 * 1024

    static func perform(_ request: HTTPClient.Request, using http: HTTPClient, timeout: Duration) async -> Result {
        let delegate = Collector()
        let deadline =
            NIODeadline.now()
            + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let task = http.execute(request: request, delegate: delegate, deadline: deadline)
        do {
            let answer = try await task.futureResult.get()
            return .answered(status: answer.status, headers: answer.headers, body: answer.body)
        } catch {
            let why = describe(error)
            return delegate.headSent ? .lost(why) : .notSent(why)
        }
    }

    /// The outcome of a request that got no answer, for `kind`: a resend is safe unless the
    /// vendor may already have texted or called someone.
    static func outcome(of result: Result, kind: ReceiverKind) -> DeliveryOutcome? {
        switch result {
        case .answered: return nil
        case .notSent(let why): return .retryLater("not sent: \(why)")
        case .lost(let why):
            return kind.resendsAfterLostAnswer ? .retryLater("answer lost: \(why)") : .unknown("answer lost: \(why)")
        }
    }

    /// A short description of a transport error that never carries the URL (robots' URLs
    /// carry their key).
    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed by the vendor"
            case .cancelled: return "cancelled"
            default: return "client error \(client)"
            }
        }
        if let io = error as? IOError { return "I/O error \(io.errnoCode) (\(String(cString: strerror(io.errnoCode))))" }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout: return "connect timed out"
            case .ioOnClosedChannel, .alreadyClosed, .eof: return "connection closed"
            default: return "channel error \(channel)"
            }
        }
        let name = String(describing: type(of: error))
        return name.contains("Connection") ? "connection failed (\(name))" : "transport error \(name)"
    }

    /// Collects the answer and notes when the request head left.
    private final class Collector: HTTPClientResponseDelegate, @unchecked Sendable {
        struct Answer: Sendable {
            var status: Int
            var headers: HTTPHeaders
            var body: [UInt8]
        }
        typealias Response = Answer

        private let lock = NSLock()
        private var sent = false
        private var status = 0
        private var headers = HTTPHeaders()
        private var body: [UInt8] = []

        var headSent: Bool { lock.withLock { sent } }

        func didSendRequestHead(task: HTTPClient.Task<Answer>, _ head: HTTPRequestHead) {
            lock.withLock { sent = true }
        }

        func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
            lock.withLock {
                status = Int(head.status.code)
                headers = head.headers
            }
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
            lock.withLock {
                let room = HTTPExchange.maxBody - body.count
                if room > 0 { body += buffer.readableBytesView.prefix(room) }
            }
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
            lock.withLock { Answer(status: status, headers: headers, body: body) }
        }
    }
}
