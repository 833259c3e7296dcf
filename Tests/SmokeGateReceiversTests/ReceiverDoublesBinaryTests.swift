import AsyncHTTPClient
import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// The `receiver-doubles` executable, as `make demo` and end-to-end tests run it: the port
/// in a file, secrets from files, each message printed as a phone shows it, an end on
/// SIGTERM or when its lifetime is over.
@Suite struct ReceiverDoublesBinaryTests {
    @Test func printsWhatItTakesAndEndsOnSIGTERM() async throws {
        let folder = try TemporaryFolder.make(prefix: "receiver-doubles")
        let portFile = folder.appendingPathComponent("port").path
        let secretFile = folder.appendingPathComponent("ding.secret")
        try Data("SEC-from-a-file\n".utf8).write(to: secretFile)
        let process = try BinaryProcess(
            "receiver-doubles", ["--port-file", portFile, "--lifetime", "60s", "--dingtalk-secret-file", secretFile.path])
        defer { Task { await process.stop(signal: SIGKILL, grace: 1) } }
        let port = try await Self.port(in: portFile)

        var settings = ReceiverSettings(
            name: "street-ding", kind: .dingtalk, url: "http://127.0.0.1:\(port)/robot/send?access_token=T")
        settings.secret = "SEC-from-a-file"
        let outcome = await DingTalkReceiver(settings: settings).send(
            OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
        #expect(outcome == .delivered(detail: nil))

        #expect(await process.stop(signal: SIGTERM, grace: 10) == 0)
        #expect(process.standardOutput.contains("── 钉钉群 → T "))
        #expect(process.standardOutput.contains("地址：幸福小区3栋2单元501"))
        #expect(process.standardOutput.contains("点击查看并确认 <\(CallCards.link)>"))
        #expect(process.standardError.contains("SIGTERM"))
    }

    @Test func endsWhenItsLifetimeIsOver() async throws {
        let process = try BinaryProcess("receiver-doubles", ["--lifetime", "1s", "--quiet"])
        #expect(await process.waitForExit(timeout: 20) == 0)
        #expect(process.standardError.contains("lifetime over"))
    }

    @Test func refusesABadLifetime() async throws {
        let result = try await BinaryProcess.run("receiver-doubles", ["--lifetime", "forever"], timeout: 20)
        #expect(result.status != 0)
    }

    /// Waits (at most 20 s) for the port file.
    static func port(in file: String) async throws -> Int {
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("no port file at \(file)")
    }
}
