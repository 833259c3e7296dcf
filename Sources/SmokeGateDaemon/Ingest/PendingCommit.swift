import SmokeGateCore

/// One decoded message whose events wait for a durable commit, with how it arrived.
struct PendingCommit {
    var decoded: DecodedMessage
    var message: RawMessage
    var arrival: Arrival
}
