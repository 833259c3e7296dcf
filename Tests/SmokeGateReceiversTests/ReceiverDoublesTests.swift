import AsyncHTTPClient
import Foundation
import NIOCore
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// The doubles themselves, as other processes drive them: the HTTP control API, a vendor
/// down at the network, and the factory that picks the vendor's file.
@Suite struct ReceiverDoublesTests {
    @Test func theControlAPIScriptsAnswersAndListsWhatWasReceived() async throws {
        try await withDoubles { doubles in
            let script = #"{"answers":[{"answer":"rate_limited"}],"thereafter":{"answer":"ok"}}"#
            #expect(try await Self.post("http://127.0.0.1:\(doubles.port)/_control/wecom", script) == 204)
            let receiver = WeComReceiver(settings: doubles.settings(.wecom, key: "grid-07"))
            let first = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            let second = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(first.name == "rate_limited" && second.name == "delivered")
            let listed = try #require(HTTPProbe.get("/_received?vendor=wecom", port: doubles.port))
            let messages = try #require(ReceiverDoubles.decodeReceived(listed.body))
            #expect(messages.map(\.to) == ["grid-07"])
            #expect(messages.first?.link == CallCards.link)
            #expect(try await Self.post("http://127.0.0.1:\(doubles.port)/_control/nobody", "{}") == 404)
        }
    }

    /// A vendor down at the network: nothing listens for a while, then all is taken again.
    @Test func refusedConnectionsThenBackOnTheSamePort() async throws {
        try await withDoubles { doubles in
            let port = doubles.port
            // The client keeps trying to connect until the deadline: a short one ends within the refusal.
            let receiver = WeComReceiver(settings: doubles.settings(.wecom, timeout: .milliseconds(300)))
            let refusing = Task { try await doubles.refuseConnections(for: .seconds(2)) }
            for _ in 0..<100 where FreePort.canConnect(port) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(!FreePort.canConnect(port))
            let during = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            try await refusing.value
            let after = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(during.name == "retry", "\(during)")
            #expect(during.detail?.hasPrefix("not sent") == true, "\(during)")
            #expect(after == .delivered(detail: nil))
            #expect(doubles.port == port)
        }
    }

    /// Stopping and starting while requests keep coming: the listener closes before
    /// connections are cut (cancelling the server outright crashed on a connection accepted
    /// meanwhile), as it must for an end-to-end test that takes a vendor down mid-storm.
    @Test func stoppingUnderTrafficIsSafe() async throws {
        try await withDoubles { doubles in
            let port = doubles.port
            let settings = doubles.settings(.wecom, timeout: .milliseconds(200))
            let stop = StopFlag()
            let senders = (0..<2).map { index in
                Task.detached {
                    while !stop.isSet {
                        if index == 0 {
                            _ = await WeComReceiver(settings: settings).send(
                                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
                        } else {
                            _ = FreePort.canConnect(port)
                            // Never hold a thread of the shared pool: other tests run meanwhile.
                            try? await Task.sleep(for: .milliseconds(1))
                        }
                    }
                }
            }
            for _ in 0..<40 { try await doubles.refuseConnections(for: .milliseconds(30)) }
            stop.set()
            for sender in senders { await sender.value }
            let after = await WeComReceiver(settings: doubles.settings(.wecom)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(after == .delivered(detail: nil))
        }
    }

    @Test func waitingIsBounded() async throws {
        try await withDoubles { doubles in
            let started = ContinuousClock.now
            #expect(await doubles.waitUntil(count: 1, timeout: .milliseconds(200)) == false)
            #expect(ContinuousClock.now - started < .seconds(6))
        }
    }

    @Test func theFactoryPicksEachVendorsFile() {
        let expected: [ReceiverKind: any Receiver.Type] = [
            .webhook: WebhookReceiver.self, .wecom: WeComReceiver.self, .dingtalk: DingTalkReceiver.self,
            .feishu: FeishuReceiver.self, .aliyunSMS: AliyunSMSReceiver.self, .aliyunVoice: AliyunVoiceReceiver.self,
        ]
        for kind in ReceiverKind.allCases {
            let receiver = Receivers.make(ReceiverSettings(name: kind.rawValue, kind: kind, url: "http://127.0.0.1/"))
            #expect(type(of: receiver) == expected[kind], "\(kind)")
            #expect(receiver.settings.kind == kind)
        }
        let beijing = CallText(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let robot = Receivers.make(ReceiverSettings(name: "w", kind: .wecom, url: "http://127.0.0.1/"), text: beijing)
        #expect((robot as? WeComReceiver)?.text.timeZone.identifier == "Asia/Shanghai")
    }

    static func post(_ url: String, _ body: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }
}
