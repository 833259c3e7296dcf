import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// What was sent, and what the gateway made of it: the figures of one row of the table.
struct AlarmLedger: Sendable {
    /// Alarms the broker acknowledged to the detectors: device and sequence number.
    var sent: [(device: String, seq: Int)] = []
    /// Alarm events in the database (one per alarm when nothing is lost or doubled).
    var stored = 0
    /// Sent alarms with no stored event.
    var lost: [String] = []
    /// Alarms stored more than once.
    var doubled = 0
    /// Fire incidents, and sent devices without exactly one.
    var incidents = 0
    var incidentProblems: [String] = []
    /// Tiers not called exactly once on an incident's timeline.
    var tierProblems: [String] = []
    /// (incident, tier) calls no responder received, and calls received again under the same id
    /// (QoS 1 is at least once; consumers deduplicate by `notification`).
    var callsMissing: [String] = []
    var callsRedelivered = 0

    var lostSomething: Bool {
        !lost.isEmpty || doubled > 0 || !incidentProblems.isEmpty || !tierProblems.isEmpty || !callsMissing.isEmpty
    }

    mutating func record(_ device: String, seq: Int = 1) { sent.append((device, seq)) }

    /// Compares the database and the calls received with what was sent.
    mutating func check(store: Store, calls: [TestSubscriber.Received]) throws {
        let events = try store.events(kind: .alarm)
        stored = events.count
        var perAlarm: [String: Int] = [:]
        for event in events { perAlarm[event.deviceID, default: 0] += 1 }
        lost = sent.map(\.device).filter { perAlarm[$0] == nil }
        doubled = perAlarm.values.filter { $0 > 1 }.count
        let fires = try store.incidents(includeResolved: true).filter { $0.kind == .fire }
        incidents = fires.count
        var incidentsPerDevice: [String: [Incident]] = [:]
        for fire in fires { incidentsPerDevice[fire.site.deviceID, default: []].append(fire) }
        incidentProblems = sent.map(\.device).filter { incidentsPerDevice[$0]?.count != 1 }.map {
            "\($0): \(incidentsPerDevice[$0]?.count ?? 0) incidents"
        }
        tierProblems = []
        for fire in fires {
            let called = try store.timeline(of: fire.id).filter { $0.action == .called }.compactMap(\.tier)
            for tier in Tier.allCases where called.filter({ $0 == tier }).count != 1 {
                tierProblems.append("incident \(fire.id) \(tier): called \(called.filter { $0 == tier }.count) times")
            }
        }
        var idsPerCall: [String: Set<String>] = [:]
        var received = 0
        for call in calls where call.field("action") == "notify" {
            guard let incident = call.field("incident"), let tier = call.field("tier"), let id = call.field("notification")
            else { continue }
            idsPerCall["\(incident)/\(tier)", default: []].insert(id)
            received += 1
        }
        callsMissing = fires.flatMap { fire in
            Tier.allCases.map { "\(fire.id)/\($0.rawValue)" }.filter { idsPerCall[$0]?.count != 1 }
        }
        callsRedelivered = received - idsPerCall.values.map(\.count).reduce(0, +)
    }

    /// One line per kind of problem, the first few examples each.
    var problems: [String] {
        func line(_ label: String, _ items: [String]) -> String? {
            items.isEmpty ? nil : "\(label) (\(items.count)): \(items.prefix(5).joined(separator: "; "))"
        }
        return [
            line("alarms lost", lost), doubled > 0 ? "alarms stored twice: \(doubled)" : nil,
            line("incident problems", incidentProblems), line("tiers not called exactly once", tierProblems),
            line("calls never received", callsMissing),
        ].compactMap { $0 }
    }
}
