import AsyncHTTPClient
import SmokeGateCore

/// A vendor that carries calls to people: one file per vendor (`WeComReceiver`, …), each
/// rendering calls in the vendor's documented request shape and signing, and deciding the
/// outcome from the vendor's documented answer codes.
public protocol Receiver: Sendable {
    /// The configured receiver this sends for.
    var settings: ReceiverSettings { get }

    /// Sends one message: a single call, or several calls merged (only for receivers whose
    /// kind `merges`), to `recipient` where the kind addresses people. Never throws: every
    /// failure is an outcome (a transport error before the request left is `retryLater`; a
    /// lost answer is `unknown` for texts and calls, `retryLater` for the others).
    func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome

    /// Whether `calls` go as one message within the vendor's documented size limit. The
    /// delivery service merges what waits for a receiver only while this holds; a single call
    /// always goes (a robot shortens an oversized one, keeping its link).
    func fits(_ calls: [CallCard]) -> Bool
}

extension Receiver {
    /// One call per message: a webhook's receiver drops repeats by notification id, and a
    /// text or a voice template holds one call.
    public func fits(_ calls: [CallCard]) -> Bool { calls.count <= 1 }
}
