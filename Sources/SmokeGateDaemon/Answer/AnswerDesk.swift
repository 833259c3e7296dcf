import Logging
import SmokeGateCore
import SmokeGateStore

/// What the answer routes act with: the daemon's own store (so an answer is the same
/// compare-and-set as `smokegate ack`), the configuration in force (the chain, and `answer:`
/// as a reload left it), the daemon's clock, and the bells that wake the dispatcher and the
/// scheduler once an answer has written its calls.
struct AnswerDesk: Sendable {
    let store: Store
    let live: LiveConfiguration
    let clock: GatewayClock
    let bells: Bells
    let metrics: GatewayMetrics
    let logger: Logger

    var settings: AnswerSettings? { live.configuration.answer }

    /// Acknowledges `incident` as `person`, exactly as the CLI does, with the time read inside
    /// the transaction and no clock step applied meanwhile.
    func acknowledge(_ incident: Int64, by person: String, channel: String) throws -> Incident {
        let desk = live.desk
        let incident = try clock.holdingFrame {
            try store.acknowledge(incident, by: person, note: nil, at: clock.now(), desk: desk, channel: channel)
        }
        wake()
        return incident
    }

    /// Resolves `incident` with `cause` as `person`, as `smokegate resolve` does.
    func resolve(_ incident: Int64, by person: String, cause: String, channel: String) throws -> Resolution {
        let desk = live.desk
        let resolution = try clock.holdingFrame {
            try store.resolve(incident, by: person, cause: cause, note: nil, at: clock.now(), desk: desk, channel: channel)
        }
        wake()
        return resolution
    }

    /// The tiers told and the deadline moved are the dispatcher's and the scheduler's work now.
    private func wake() {
        bells.dispatcher.ring()
        bells.deliveries.ring()
        bells.scheduler.ring()
    }

    /// A code or token cut to what a log may show: enough to tell two apart, not to use one.
    static func masked(_ secret: String, keep: Int = 2) -> String {
        secret.count <= keep ? "***" : String(secret.prefix(keep)) + "***"
    }

    /// A phone number with only its last four digits.
    static func maskedPhone(_ phone: String) -> String {
        "***" + String(phone.suffix(4))
    }
}
