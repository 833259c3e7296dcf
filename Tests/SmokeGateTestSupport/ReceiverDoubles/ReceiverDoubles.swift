import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Loopback stand-ins for every vendor a receiver reaches, on one port of 127.0.0.1: each
/// checks the request's shape and signature as its vendor documents them (written apart from
/// the receivers' code), refuses a bad one as the vendor does, records what it takes, and
/// answers as scripted: ok, each documented error, a slow answer, a dropped connection, or
/// down. Tests drive it in-process; other processes through `/_control` and `/_received`.
///
/// Paths: `/cgi-bin/webhook/send?key=K` (WeCom), `/robot/send?access_token=T` (DingTalk),
/// `/open-apis/bot/v2/hook/T` (Feishu), `/sms/` and `/voice/` (Aliyun RPC, GET or POST),
/// `/hooks/{name}` (Standard Webhooks).
public final class ReceiverDoubles: @unchecked Sendable {
    public let credentials: DoubleCredentials
    private let clock: @Sendable () -> Date
    private let onReceive: (@Sendable (ReceivedMessage) -> Void)?
    private let lock = NSLock()
    private var scripts: [DoubleVendor: DoubleScript] = [:]
    private var messages: [ReceivedMessage] = []
    private var seen: [DoubleAttempt] = []
    private var running: Running?
    private var boundPort = 0
    let nonces = NonceBook()

    /// `onReceive` hears each message as it is taken (the executable prints it).
    public init(
        credentials: DoubleCredentials = DoubleCredentials(), clock: @escaping @Sendable () -> Date = { Date() },
        onReceive: (@Sendable (ReceivedMessage) -> Void)? = nil
    ) {
        self.credentials = credentials
        self.clock = clock
        self.onReceive = onReceive
    }

    /// The port it listens on (0 before `start`).
    public var port: Int { lock.withLock { boundPort } }

    /// Starts listening on 127.0.0.1:`port` (0: any free port); returns the port.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        let (ports, portsIn) = AsyncStream<Int>.makeStream()
        let quiet = Logger(label: "receiver-doubles", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                portsIn.yield(channel.localAddress?.port ?? 0)
                portsIn.finish()
            },
            logger: quiet)
        // Stopped gracefully, so the listener closes before connections are cut: a connection
        // accepted while the server is being cancelled outright trips a NIO precondition.
        var configuration = ServiceGroupConfiguration(services: [app], logger: quiet)
        configuration.maximumGracefulShutdownDuration = .milliseconds(500)
        let group = ServiceGroup(configuration: configuration)
        // Detached: a server started from a request of the one before (the control API's
        // refusal) must not inherit that server's graceful shutdown, a task-local that would
        // stop the new one as soon as it starts.
        let task = Task.detached {
            do { try await group.run() } catch {}
            portsIn.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            await group.triggerGracefulShutdown()
            await task.value
            throw TestSupportError("receiver doubles could not listen on 127.0.0.1:\(port)")
        }
        lock.withLock {
            running = Running(group: group, task: task)
            boundPort = bound
        }
        return bound
    }

    /// Stops listening, then ends every request in flight within half a second (a slow
    /// answer is cut short).
    public func stop() async {
        let current = lock.withLock {
            defer { running = nil }
            return running
        }
        guard let current else { return }
        await current.group.triggerGracefulShutdown()
        await current.task.value
    }

    /// Refuses connections for `duration` (nothing listens), then listens on the same port
    /// again: a vendor down at the network, not behind a load balancer.
    public func refuseConnections(for duration: Duration) async throws {
        let port = self.port
        await stop()
        try await Task.sleep(for: duration)
        var attempts = 0
        while true {
            do {
                try await start(port: port)
                return
            } catch {
                attempts += 1
                if attempts >= 50 { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Scripts `vendor`'s answers: one per request it takes, then `thereafter`.
    public func script(_ vendor: DoubleVendor, _ answers: [DoubleAnswer], thereafter: DoubleAnswer = .ok) {
        script(vendor, DoubleScript(answers, thereafter: thereafter))
    }

    public func script(_ vendor: DoubleVendor, _ script: DoubleScript) {
        lock.withLock { scripts[vendor] = script }
    }

    /// Every message taken, in the order they arrived.
    public var received: [ReceivedMessage] { lock.withLock { messages } }

    /// The messages `vendor` took.
    public func received(_ vendor: DoubleVendor) -> [ReceivedMessage] { received.filter { $0.vendor == vendor } }

    /// Every request seen, taken or not.
    public var attempts: [DoubleAttempt] { lock.withLock { seen } }

    /// Forgets what was received and seen, and every script.
    public func reset() {
        lock.withLock {
            messages = []
            seen = []
            scripts = [:]
        }
    }

    /// Waits until `count` messages (of `vendor`, if given) have been taken, or `timeout`
    /// passes; true if they were.
    public func waitUntil(count: Int, of vendor: DoubleVendor? = nil, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let have = received.filter { vendor == nil || $0.vendor == vendor }.count
            if have >= count { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The URL a receiver of `vendor` is configured with: `key` names the robot, token or
    /// webhook path (unused for Aliyun, whose endpoint is one per product).
    public func url(_ vendor: DoubleVendor, key: String = "double") -> String {
        let base = "http://127.0.0.1:\(port)"
        switch vendor {
        case .webhook: return "\(base)/hooks/\(key)"
        case .wecom: return "\(base)/cgi-bin/webhook/send?key=\(key)"
        case .dingtalk: return "\(base)/robot/send?access_token=\(key)"
        case .feishu: return "\(base)/open-apis/bot/v2/hook/\(key)"
        case .aliyunSMS: return "\(base)/sms/"
        case .aliyunVoice: return "\(base)/voice/"
        }
    }

    // MARK: - Serving

    private func router() -> Router<DoubleContext> {
        let router = Router(context: DoubleContext.self)
        router.post("/cgi-bin/webhook/send") { request, context in try await self.serve(.wecom, request, context) }
        router.post("/robot/send") { request, context in try await self.serve(.dingtalk, request, context) }
        router.post("/open-apis/bot/v2/hook/{token}") { request, context in try await self.serve(.feishu, request, context) }
        for path in ["/sms", "/voice"] {
            let vendor: DoubleVendor = path == "/sms" ? .aliyunSMS : .aliyunVoice
            router.get(RouterPath(path)) { request, context in try await self.serve(vendor, request, context) }
            router.post(RouterPath(path)) { request, context in try await self.serve(vendor, request, context) }
        }
        router.post("/hooks/{name}") { request, context in try await self.serve(.webhook, request, context) }
        addControl(to: router)
        return router
    }

    private func serve(_ vendor: DoubleVendor, _ request: Request, _ context: DoubleContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let seenRequest = DoubleRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
            body: Array(buffer: body))
        let now = clock()
        switch check(vendor, seenRequest, context: context, now: now) {
        case .rejected(let reply, let why):
            lock.withLock { seen.append(DoubleAttempt(vendor: vendor, at: now, answer: "rejected", rejection: why)) }
            return response(reply)
        case .taken(let taken):
            let answer = lock.withLock {
                var script = scripts[vendor] ?? DoubleScript()
                let answer = script.next()
                scripts[vendor] = script
                seen.append(DoubleAttempt(vendor: vendor, at: now, answer: answer.name, rejection: nil))
                return answer
            }
            if answer.takes {
                let message = ReceivedMessage(
                    vendor: vendor, at: now, to: taken.to, text: taken.text, fields: taken.fields, link: taken.link,
                    code: taken.code, answer: answer.name)
                lock.withLock { messages.append(message) }
                onReceive?(message)
            }
            switch answer {
            case .slow(let seconds):
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                return response(reply(vendor, .ok))
            case .drop:
                try? await context.channel.close()
                throw DroppedOnPurpose()
            case .down:
                return response(.down)
            case .http(let status, let body, let retryAfter):
                return response(DoubleReply(status: status, body: body, retryAfter: retryAfter))
            case .redirect(let location):
                return response(DoubleReply(status: 307, body: "", contentType: "text/plain", location: location))
            default:
                return response(reply(vendor, answer))
            }
        }
    }

    private func check(_ vendor: DoubleVendor, _ request: DoubleRequest, context: DoubleContext, now: Date) -> DoubleCheck {
        switch vendor {
        case .wecom: WeComDouble.check(request, credentials: credentials)
        case .dingtalk: DingTalkDouble.check(request, credentials: credentials, now: now)
        case .feishu:
            FeishuDouble.check(request, token: context.parameters.get("token") ?? "", credentials: credentials, now: now)
        case .aliyunSMS, .aliyunVoice:
            AliyunDouble.check(request, vendor: vendor, credentials: credentials, now: now, nonces: nonces)
        case .webhook:
            WebhookDouble.check(request, name: context.parameters.get("name") ?? "", credentials: credentials, now: now)
        }
    }

    private func reply(_ vendor: DoubleVendor, _ answer: DoubleAnswer) -> DoubleReply {
        switch vendor {
        case .wecom: WeComDouble.answer(answer)
        case .dingtalk: DingTalkDouble.answer(answer)
        case .feishu: FeishuDouble.answer(answer)
        case .aliyunSMS, .aliyunVoice: AliyunDouble.answer(answer, vendor: vendor)
        case .webhook: WebhookDouble.answer(answer)
        }
    }

    func response(_ reply: DoubleReply) -> Response {
        var headers: HTTPFields = [.contentType: reply.contentType]
        if let retryAfter = reply.retryAfter { headers[HTTPField.Name("Retry-After")!] = String(retryAfter) }
        if let location = reply.location { headers[.location] = location }
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }

    private struct DroppedOnPurpose: Error {}

    /// The server while it runs: its service group and the task running it.
    private struct Running {
        let group: ServiceGroup
        let task: Task<Void, Never>
    }
}
