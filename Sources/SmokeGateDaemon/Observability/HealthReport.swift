import Foundation
import SmokeGateMQTT

/// What `/healthz` answers: healthy only while the ingest session is up with every
/// subscription granted as asked, the database takes the daemon's writes, and the broker
/// takes its calls (field rule 8: a refused call or subscription is not a working gateway).
struct HealthReport: Sendable {
    var connected: Bool
    var writable: Bool
    var dispatch: DispatchRefusals.Snapshot
    var subscriptions: [SubscriptionRefusal]
    /// Receivers that refused a call for good and have not delivered since (a bad key, a
    /// removed robot): people are not reached through them until someone fixes it.
    var receiversRefusing: [String] = []
    /// The cluster node this gateway is (nil on its own) and its role: a standby is healthy
    /// when it could take over (connected, writing), though it calls nobody.
    var node: String? = nil
    var role = "leader"

    var healthy: Bool {
        connected && writable && !dispatch.isRefusing && subscriptions.isEmpty && receiversRefusing.isEmpty
    }

    /// One sentence per problem, for the body of a 503.
    var problems: [String] {
        var problems: [String] = []
        if !connected { problems.append("not connected to the broker") }
        if !subscriptions.isEmpty {
            problems.append("the broker refuses subscriptions: " + subscriptions.map(\.description).joined(separator: "; "))
        }
        if !writable { problems.append("the database is not taking writes") }
        if let refusal = dispatch.summary { problems.append("the broker refuses calls: \(refusal)") }
        for receiver in receiversRefusing { problems.append("receiver \(receiver)") }
        return problems
    }

    /// The JSON body, keys in a fixed order: `status`, `broker_connected`, `database_writable`,
    /// `dispatch_refusing`, `receivers_refusing`, `subscriptions_refused`, `problems`, `node`, `role`.
    var json: String {
        """
        {"status":"\(healthy ? "ok" : "unhealthy")","broker_connected":\(connected),"database_writable":\(writable),\
        "dispatch_refusing":\(dispatch.isRefusing),"receivers_refusing":\(!receiversRefusing.isEmpty),"subscriptions_refused":[\(subscriptions.map { Self.quoted($0.filter) }.joined(separator: ","))],\
        "problems":[\(problems.map(Self.quoted).joined(separator: ","))],\
        "node":\(node.map(Self.quoted) ?? "null"),"role":\(Self.quoted(role))}

        """
    }

    /// `text` as a JSON string, quotes and escapes included.
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
