import ArgumentParser
import Dispatch
import Foundation
import SmokeGateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `receiver-doubles --port P [--port-file F] [--lifetime 1h] [secrets…]`.
struct ReceiverDoublesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receiver-doubles",
        abstract: "Loopback doubles of the vendors receivers send to; prints each message as a phone shows it.",
        discussion: """
            Paths: /cgi-bin/webhook/send?key=K (WeCom), /robot/send?access_token=T (DingTalk),
            /open-apis/bot/v2/hook/T (Feishu), /sms/ and /voice/ (Aliyun), /hooks/NAME (webhook).
            Control: POST /_control/VENDOR (a JSON script), POST /_control/refuse {"seconds":N},
            POST /_control/reset, GET /_received[?vendor=V], GET /_attempts.
            """)

    @Option(help: "The port on 127.0.0.1 (0: any free port).")
    var port = 0

    @Option(help: "Write the port to this file once listening.")
    var portFile: String?

    @Option(help: "Exit after this long: 90s, 30m, 1h.")
    var lifetime = "1h"

    @Option(help: "A WeCom robot key to accept (repeat; none: any key).")
    var wecomKey: [String] = []

    @Option(help: "A DingTalk access token to accept (repeat; none: any token).")
    var dingtalkToken: [String] = []

    @Option(help: "A Feishu hook token to accept (repeat; none: any token).")
    var feishuToken: [String] = []

    @Option(help: "The DingTalk robot's signing secret, in a file.")
    var dingtalkSecretFile: String?

    @Option(help: "The Feishu bot's signing secret, in a file.")
    var feishuSecretFile: String?

    @Option(help: "The Aliyun AccessKey id to accept.")
    var aliyunAccessKeyId: String?

    @Option(help: "The Aliyun AccessKey secret, in a file.")
    var aliyunSecretFile: String?

    @Option(help: "The webhook's whsec_ secret, in a file.")
    var webhookSecretFile: String?

    @Flag(help: "Print nothing for received messages.")
    var quiet = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard Self.seconds(lifetime) != nil else { throw ValidationError("--lifetime must be like 90s, 30m or 1h") }
    }

    func run() async throws {
        var credentials = DoubleCredentials()
        credentials.wecomKeys = Set(wecomKey)
        credentials.dingtalkTokens = Set(dingtalkToken)
        credentials.feishuTokens = Set(feishuToken)
        if let file = dingtalkSecretFile { credentials.dingtalkSecret = try Self.secret(file) }
        if let file = feishuSecretFile { credentials.feishuSecret = try Self.secret(file) }
        if let id = aliyunAccessKeyId { credentials.aliyunAccessKeyID = id }
        if let file = aliyunSecretFile { credentials.aliyunAccessKeySecret = try Self.secret(file) }
        if let file = webhookSecretFile { credentials.webhookSecret = try Self.secret(file) }

        let printer = Printer(quiet: quiet)
        let doubles = ReceiverDoubles(credentials: credentials, onReceive: { printer.show($0) })
        let bound = try await doubles.start(port: port)
        if let portFile {
            try Data("\(bound)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
        }
        printer.note("receiver-doubles: listening on 127.0.0.1:\(bound)")
        let why = await Self.end(after: Self.seconds(lifetime) ?? 3600)
        printer.note("receiver-doubles: \(why), stopping")
        await doubles.stop()
    }

    /// Waits for SIGTERM, SIGINT or the end of the lifetime; says which.
    static func end(after lifetime: Double) async -> String {
        let (ends, endsIn) = AsyncStream<String>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { endsIn.yield(name) }
            source.resume()
            sources.append(source)
        }
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(Int(lifetime * 1000)))
            endsIn.yield("lifetime over")
        }
        var iterator = ends.makeAsyncIterator()
        let why = await iterator.next() ?? "ended"
        timer.cancel()
        sources.forEach { $0.cancel() }
        return why
    }

    /// `90s`, `30m`, `1h`, or plain seconds.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()), value > 0 { return value * scale }
        return Double(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A secret file's content, trimmed.
    static func secret(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
