import AsyncHTTPClient
import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// A request that never left may be sent again by every kind; a lost or late answer may hide
/// a text already on a phone, so texts and calls come back `unknown`, never a blind resend.
@Suite struct TransportTests {
    static let everyKind = ReceiverKind.allCases

    static func message(for kind: ReceiverKind) -> OutgoingMessage {
        OutgoingMessage(calls: [CallCards.fire()], recipient: kind.addressesPeople ? CallCards.person : nil, now: Date())
    }

    @Test(arguments: everyKind) func aRefusedConnectionIsRetriedForEveryKind(kind: ReceiverKind) async throws {
        let closed = try ClosedPort()
        defer { closed.close() }
        let doubles = ReceiverDoubles()
        var settings = doubles.settings(kind, timeout: .seconds(3))
        settings.url = settings.url.replacingOccurrences(of: "127.0.0.1:0", with: "127.0.0.1:\(closed.port)")
        let outcome = await Receivers.make(settings).send(Self.message(for: kind), using: testHTTP)
        #expect(outcome.name == "retry", "\(kind): \(outcome)")
        #expect(outcome.detail?.hasPrefix("not sent") == true, "\(kind): \(outcome)")
    }

    /// An answer slower than the receiver's timeout: lost. (The double answers after 10 s; the
    /// receiver waits 300 ms, and is back long before the answer, even on a loaded machine.)
    @Test(arguments: everyKind) func aLateAnswerIsLost(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            doubles.script(DoubleVendor(rawValue: kind.rawValue)!, [.slow(seconds: 10)])
            let started = ContinuousClock.now
            let outcome = await Receivers.make(doubles.settings(kind, timeout: .milliseconds(300))).send(
                Self.message(for: kind), using: testHTTP)
            #expect(ContinuousClock.now - started < .seconds(6))
            #expect(outcome.name == (kind.resendsAfterLostAnswer ? "retry" : "unknown"), "\(kind): \(outcome)")
            #expect(outcome.saysAnswerLost, "\(kind): \(outcome)")
            #expect(doubles.received.count == 1)
        }
    }

    /// The connection closed after the request was read: lost as well.
    @Test(arguments: everyKind) func aDroppedConnectionIsALostAnswer(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            doubles.script(DoubleVendor(rawValue: kind.rawValue)!, [.drop])
            let outcome = await Receivers.make(doubles.settings(kind)).send(Self.message(for: kind), using: testHTTP)
            #expect(outcome.name == (kind.resendsAfterLostAnswer ? "retry" : "unknown"), "\(kind): \(outcome)")
            #expect(outcome.saysAnswerLost, "\(kind): \(outcome)")
        }
    }

    /// Outcome details never carry the hook URL (it holds the robot's key) nor a secret.
    @Test(arguments: everyKind) func detailsCarryNoSecrets(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            let vendor = DoubleVendor(rawValue: kind.rawValue)!
            var details: [String] = []
            for answer in [DoubleAnswer.badKey, .busy, .rateLimited, .drop] {
                doubles.script(vendor, [answer])
                let settings = doubles.settings(kind, key: "SECRETKEY0123")
                details.append(await Receivers.make(settings).send(Self.message(for: kind), using: testHTTP).detail ?? "")
            }
            let secrets =
                ["SECRETKEY0123", doubles.credentials.aliyunAccessKeySecret]
                + [
                    doubles.credentials.dingtalkSecret, doubles.credentials.feishuSecret, doubles.credentials.webhookSecret,
                ].compactMap { $0 }
            for detail in details {
                #expect(!secrets.contains { detail.contains($0) }, "\(kind): \(detail)")
                #expect(!detail.contains("127.0.0.1"), "\(kind): \(detail)")
            }
        }
    }
}
