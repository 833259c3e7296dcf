import Foundation
import Logging
import SmokeGateMQTT
import SmokeGateTestSupport
import Synchronization
import Testing

/// The ingest connection's read passes (`MQTTClient+ReadPass.swift`), on a real broker: no
/// PUBACK of a pass leaves before the delegate has finished the pass, so a pass cut short
/// (the daemon killed while committing it) is redelivered whole.
@Suite(.serialized) struct ReadPassTests {
    /// Holds the first pass of two messages or more at its end until released (a shorter pass
    /// ends after a pause, so that the burst piles up on the socket), and records what each
    /// message's arrival said. Without passes, holds the first message's handler instead.
    final class HeldPass: MQTTClientDelegate, @unchecked Sendable {
        private struct State {
            var received: [String] = []
            var pass: [String] = []
            var held: [String]?
            var afterPass = 0
        }
        private let state = Mutex(State())
        let release = DispatchSemaphore(value: 0)
        let holding = Atomic<Bool>(false)
        let passes: Bool

        init(passes: Bool) { self.passes = passes }

        var received: [String] { state.withLock { $0.received } }
        var held: [String]? { state.withLock { $0.held } }
        var markedAfterPass: Int { state.withLock { $0.afterPass } }

        func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
            let text = String(decoding: message.payload, as: UTF8.self)
            let holdHere = state.withLock { state in
                state.received.append(text)
                state.pass.append(text)
                if message.acknowledgedAfterPass { state.afterPass += 1 }
                guard !passes, state.held == nil else { return false }
                state.held = [text]
                return true
            }
            if holdHere { hold() }
        }

        func mqttClientEndedReadPass(_ client: MQTTClient) {
            let (holdHere, pause) = state.withLock { state -> (Bool, Bool) in
                defer { state.pass.removeAll() }
                guard state.held == nil, !state.pass.isEmpty else { return (false, false) }
                guard state.pass.count >= 2 else { return (false, true) }
                state.held = state.pass
                return (true, false)
            }
            if holdHere { hold() }
            if pause { usleep(50_000) }
        }

        private func hold() {
            holding.store(true, ordering: .relaxed)
            release.wait()
        }
    }

    /// Publishes a burst to a persistent subscriber, cuts its connection while the first pass
    /// (or message) is held, and returns what it held and what it received in all.
    private func cutWhileHolding(passes: Bool) async throws -> (held: [String], received: [String], afterPass: Int) {
        let broker = try MosquittoBroker()
        let delegate = HeldPass(passes: passes)
        let client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: broker.port, clientID: "read-pass-\(passes)", subscriptions: ["burst/#"],
                acknowledgesByReadPass: passes),
            delegate: delegate, logger: Logger(label: "read-pass") { _ in SwiftLogNoOpLogHandler() })
        client.start()
        defer { client.stop() }
        #expect(await eventually { client.isConnected })
        let publisher = try await TestPublisher.connect(port: broker.port)
        try await publisher.publishBurst((1...200).map { ("burst/\($0 % 7)", "m\($0)") })
        #expect(await eventually { delegate.holding.load(ordering: .relaxed) })
        client.abandonConnection()
        try await Task.sleep(for: .milliseconds(200))
        delegate.release.signal()
        let held = try #require(delegate.held)
        // The session resumes after the reconnect delay; the broker resends what it never saw
        // acknowledged, then the rest.
        _ = await eventually(timeout: 15) { Set(delegate.received).count == 200 && delegate.received.count > 200 }
        return (held, delegate.received, delegate.markedAfterPass)
    }

    @Test func aPassCutBeforeItsEndIsRedeliveredWhole() async throws {
        let (held, received, afterPass) = try await cutWhileHolding(passes: true)
        #expect(held.count > 1, "the burst arrives faster than one message a pass")
        let firstSeen = try #require(received.firstIndex(of: held[held.count - 1]))
        let again = received.dropFirst(firstSeen + 1)
        #expect(Set(held).isSubset(of: Set(again)), "every message of the held pass came again")
        #expect(afterPass >= held.count)
        #expect(Set(received).count == 200)
    }

    @Test func withoutPassesEachMessageIsAcknowledgedWhenItsHandlerReturns() async throws {
        // The contrast, and the rule before read passes: only the message whose handler was
        // held comes again; those handled before it were acknowledged one by one.
        let (held, received, afterPass) = try await cutWhileHolding(passes: false)
        #expect(held.count == 1)
        #expect(afterPass == 0)
        #expect(Set(received).count == 200)
    }
}
