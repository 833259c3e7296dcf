import AsyncHTTPClient
import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// Standard Webhooks against its double: the stored notification plus `answer_url`, signed,
/// `webhook-id` the notification id; the outcome from the status as the standard sets it.
@Suite struct WebhookReceiverTests {
    @Test func theNotificationArrivesSignedWithItsIdAndAnswerURL() async throws {
        try await withDoubles { doubles in
            let call = CallCards.fire()
            let outcome = await WebhookReceiver(settings: doubles.settings(.webhook, key: "duty-desk")).send(
                OutgoingMessage(calls: [call], now: Date()), using: testHTTP)
            #expect(outcome == .delivered(detail: nil))
            let message = try #require(doubles.received.first)
            #expect(message.to == "duty-desk")
            #expect(message.fields["webhook-id"] == "n-42-grid")
            #expect(message.fields["body"] == call.payloadWithAnswer)
            #expect(message.link == CallCards.link)
        }
    }

    /// A retry carries the same `webhook-id`: the receiver drops the repeat.
    @Test func aRetryKeepsTheNotificationId() async throws {
        try await withDoubles { doubles in
            doubles.script(.webhook, [.busy])
            let receiver = WebhookReceiver(settings: doubles.settings(.webhook))
            let first = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            let second = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(first.name == "retry" && second.name == "delivered")
            #expect(doubles.received.map { $0.fields["webhook-id"] } == ["n-42-grid"])
        }
    }

    @Test func aWrongSecretIsRefused() async throws {
        try await withDoubles { doubles in
            var settings = doubles.settings(.webhook)
            settings.secret = "whsec_" + Data("some-other-key".utf8).base64EncodedString()
            let outcome = await WebhookReceiver(settings: settings).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome == .refused("webhook answered HTTP 401"))
        }
    }

    @Test func aSecretThatIsNotBase64IsRefusedBeforeSending() async throws {
        var settings = ReceiverSettings(name: "w", kind: .webhook, url: "http://127.0.0.1:9/")
        settings.secret = "whsec_***"
        let outcome = await WebhookReceiver(settings: settings).send(
            OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
        #expect(outcome.name == "refused")
    }

    /// 2xx delivered; 410 refused; 429 and 502/503/504 with `Retry-After` rate-limited until
    /// then; 503 without it, and 5xx, retried; 3xx and other 4xx refused.
    @Test(arguments: [
        (DoubleAnswer.ok, "delivered"), (.rateLimited, "rate_limited"), (.badKey, "refused"), (.badSignature, "refused"),
        (.busy, "retry"), (.down, "retry"), (.http(status: 202, body: "", retryAfter: nil), "delivered"),
        (.http(status: 302, body: "", retryAfter: nil), "refused"), (.http(status: 404, body: "", retryAfter: nil), "refused"),
        (.http(status: 408, body: "", retryAfter: nil), "retry"), (.http(status: 502, body: "", retryAfter: 12), "rate_limited"),
        (.http(status: 504, body: "", retryAfter: nil), "retry"),
    ])
    func statuses(answer: DoubleAnswer, outcome expected: String) async throws {
        try await withDoubles { doubles in
            doubles.script(.webhook, [answer])
            let outcome = await WebhookReceiver(settings: doubles.settings(.webhook)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome.name == expected, "\(answer): \(outcome)")
        }
    }

    @Test func retryAfterSetsWhenTheLimitLifts() async throws {
        try await withDoubles { doubles in
            doubles.script(.webhook, [.rateLimited])
            let now = Date()
            let outcome = await WebhookReceiver(settings: doubles.settings(.webhook)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: now), using: testHTTP)
            #expect(outcome == .rateLimited(until: now.addingTimeInterval(30), "webhook answered HTTP 429"))
        }
    }

    /// A redirect is an answer (refused), not followed to a host nobody configured.
    @Test func aRedirectIsRefusedNotFollowed() async throws {
        try await withDoubles { doubles in
            doubles.script(.webhook, [.redirect(to: doubles.url(.webhook, key: "elsewhere"))])
            let outcome = await WebhookReceiver(settings: doubles.settings(.webhook)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome == .refused("webhook answered HTTP 307 (a redirect is a failure)"))
            #expect(doubles.received.isEmpty)
        }
    }

    /// A webhook's receiver drops repeats by id: one call a message, never merged.
    @Test func oneCallAMessage() {
        let receiver = WebhookReceiver(settings: .init(name: "w", kind: .webhook, url: "http://127.0.0.1/"))
        #expect(receiver.fits([CallCards.fire()]))
        #expect(!receiver.fits([CallCards.fire(), CallCards.fault()]))
    }
}
