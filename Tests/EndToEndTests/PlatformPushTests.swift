import Foundation
import SmokeGateTestSupport
import Testing

/// NB-IoT platforms' HTTP pushes to the real `smokegated`: committed before the `200`, a
/// store that refuses answered `503` so the platform retries, a retry stored once, OneNET's
/// URL check and signature, and endpoints that are not an open door.
@Suite(.serialized) struct PlatformPushTests {
    @Test func aPushedAlarmIsCommittedBeforeItsAnswerAndCallsTheGrid() async throws {
        let street = try await PushStreet.start()
        let response = street.push(PushStreet.ctwingPath, PushStreet.ctwingReport(status: 1, at: 1_764_400_000_000))
        #expect(response?.status == 200)
        // Read right after the 200, with nothing waited for: the alarm is already on disk.
        #expect(try street.daemon.store.events(device: PushStreet.imei, kind: .alarm).count == 1)
        #expect(
            try street.daemon.store.incidents().filter { $0.kind == .fire && $0.members.contains(PushStreet.imei) }.count == 1)
        #expect(await eventually(timeout: 5, { !street.grid("notify").isEmpty }), "the grid is called about the pushed fire")
        #expect(street.grid("notify").first?.field("device") == PushStreet.imei)
        await street.stop()
    }

    @Test func aRetriedPushIsStoredOnceAndANewAlarmAfterAClearIsHeard() async throws {
        let street = try await PushStreet.start()
        let alarm = PushStreet.ctwingReport(status: 1, at: 1_764_400_000_000)
        #expect(street.push(PushStreet.ctwingPath, alarm)?.status == 200)
        // The platform did not get the answer and pushes the same message again.
        #expect(street.push(PushStreet.ctwingPath, alarm)?.status == 200)
        #expect(try street.daemon.store.events(device: PushStreet.imei, kind: .alarm).count == 1)
        // Smoke gone, then smoke again: a new alarm, whatever it repeats.
        #expect(street.push(PushStreet.ctwingPath, PushStreet.ctwingReport(status: 7, at: 1_764_400_060_000))?.status == 200)
        #expect(street.push(PushStreet.ctwingPath, PushStreet.ctwingReport(status: 1, at: 1_764_400_120_000))?.status == 200)
        #expect(try street.daemon.store.events(device: PushStreet.imei, kind: .alarm).count == 2)
        await street.stop()
    }

    @Test func aPushWhileTheDatabaseIsLockedIsAnswered503AndStoredWhenTheRetryComes() async throws {
        let street = try await PushStreet.start()
        let lock = holdWriteLock(on: street.daemon.files.databaseFile.path, for: 8)
        try await Task.sleep(for: .milliseconds(300))
        let alarm = PushStreet.ctwingReport(status: 1, at: 1_764_400_000_000)
        let started = Date()
        let refused = street.push(PushStreet.ctwingPath, alarm)
        #expect(refused?.status == 503, "a push the store cannot take is refused for the platform to retry")
        #expect(refused?.headers["retry-after"] != nil)
        #expect(Date().timeIntervalSince(started) < 7, "answered within the push budget, not held until the lock goes")
        #expect(try street.daemon.store.events(device: PushStreet.imei, kind: .alarm).isEmpty)
        try await lock.value
        // The platform's retry: stored once, whether or not the first write went through late.
        #expect(street.push(PushStreet.ctwingPath, alarm)?.status == 200)
        #expect(try street.daemon.store.events(device: PushStreet.imei, kind: .alarm).count == 1)
        #expect(await eventually(timeout: 5, { !street.grid("notify").isEmpty }))
        await street.stop()
    }

    @Test func oneNETsURLCheckIsAnsweredWithItsMessageOnlyWhenSignedWithTheToken() async throws {
        let street = try await PushStreet.start()
        let (msg, nonce) = ("kQ3yWcXz0F", "a1B2c3D4")
        let signature = PushStreet.onenetSignature(nonce: nonce, msg: msg)
        func check(_ signature: String) -> HTTPProbe.Response? {
            HTTPProbe.get("\(PushStreet.onenetPath)?msg=\(msg)&nonce=\(nonce)&signature=\(signature)", port: street.httpPort)
        }
        let standard = signature.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? signature
        #expect(check(standard)?.status == 200)
        #expect(check(standard)?.body == msg)
        // URL-safe base64 without padding, and a '+' sent raw (a query reads it as a space).
        let urlSafe = signature.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(check(urlSafe)?.body == msg)
        #expect(
            check(signature.replacingOccurrences(of: "=", with: "%3D").replacingOccurrences(of: "/", with: "%2F"))?.body == msg)
        let forged = PushStreet.onenetSignature(nonce: nonce, msg: msg, token: "not-the-token")
        let refused = check(forged.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? forged)
        #expect(refused?.status == 403)
        #expect(refused?.body.contains(msg) == false)
        await street.stop()
    }

    @Test func aOneNETPushSignedWithAnotherTokenIsRefusedAndRecorded() async throws {
        let street = try await PushStreet.start()
        let inner = #"{"type":2,"imei":"860000000000001","at":1764400000000}"#
        let nonce = "n0Nce123"
        func body(_ signature: String) -> String {
            let escaped = inner.replacingOccurrences(of: "\"", with: "\\\"")
            return #"{"msg":"\#(escaped)","nonce":"\#(nonce)","signature":"\#(signature)","time":1764400000000,"id":"e1"}"#
        }
        #expect(street.push(PushStreet.onenetPath, body(PushStreet.onenetSignature(nonce: nonce, msg: inner)))?.status == 200)
        let forged = street.push(
            PushStreet.onenetPath, body(PushStreet.onenetSignature(nonce: nonce, msg: inner, token: "guessed")))
        #expect(forged?.status == 403)
        #expect(
            await eventually(
                timeout: 5, { (try? street.daemon.store.rejected().contains { $0.reason == "bad_signature" }) == true }))
        #expect(try street.daemon.store.rejected().allSatisfy { !$0.topic.contains("/push/") }, "no record names the secret path")
        await street.stop()
    }

    @Test func pushEndpointsAreNotAnOpenDoor() async throws {
        let street = try await PushStreet.start(ctwing: "rate_limit: 2, body_limit: 2048")
        let alarm = PushStreet.ctwingReport(status: 1, at: 1_764_400_000_000)
        // A path that is not the secret one: nothing, and nothing that names the gateway.
        let guessed = street.push("/push/ctwing/guess", alarm)
        #expect(guessed?.status == 404)
        #expect(guessed?.body.lowercased().contains("smokegate") == false)
        #expect(guessed?.headers["server"] == nil, "no Server header names the gateway")
        // A body over the limit.
        let huge = #"{"messageType":"dataReport","padding":"\#(String(repeating: "x", count: 4_000))"}"#
        let tooLarge = street.push(PushStreet.ctwingPath, huge)
        #expect(tooLarge?.status == 413)
        #expect(tooLarge?.body.isEmpty == true)
        // Over the sender's rate: a burst of twice the rate, then 429 with Retry-After.
        try await Task.sleep(for: .seconds(2))
        let answers = (0..<8).compactMap { index in
            street.push(PushStreet.ctwingPath, PushStreet.ctwingReport(status: 7, at: 1_764_400_000_000 + Int64(index)))?.status
        }
        #expect(answers.prefix(4).allSatisfy { $0 == 200 })
        #expect(answers.contains(429))
        #expect(
            await eventually(
                timeout: 5,
                {
                    let reasons = Set((try? street.daemon.store.rejected().map(\.reason)) ?? [])
                    return reasons.isSuperset(of: ["oversized", "rate_limited"])
                }))
        let metrics = HTTPProbe.get("/metrics", port: street.httpPort)?.body ?? ""
        let pushLines = metrics.split(separator: "\n").filter { $0.hasPrefix("smokegate_pushes_total{") }
        for answer in ["taken", "oversized", "rate_limited"] {
            #expect(
                pushLines.contains { $0.contains("answer=\"\(answer)\"") && $0.contains("format=\"ctwing\"") },
                "/metrics counts pushes answered \(answer)")
        }
        await street.stop()
    }

    @Test func anAllowListRefusesOtherAddresses() async throws {
        let street = try await PushStreet.start(ctwing: "allow: [203.0.113.0/24, \"2001:db8::/32\"]")
        let refused = street.push(PushStreet.ctwingPath, PushStreet.ctwingReport(status: 1, at: 1_764_400_000_000))
        #expect(refused?.status == 403)
        #expect(try street.daemon.store.events(device: PushStreet.imei).isEmpty)
        #expect(
            await eventually(
                timeout: 5, { (try? street.daemon.store.rejected().contains { $0.reason == "not_allowed" }) == true }))
        await street.stop()
    }
}
