import Foundation
import SmokeGateStore
import SmokeGateTestSupport

/// The registered detectors of a rig and the connection they publish through: alarms at QoS 1
/// that a detector keeps sending until the broker takes them, and heartbeats at QoS 0. Both
/// rigs (one gateway on SQLite, a cluster on PostgreSQL) use it.
struct DetectorFleet: Sendable {
    let publisher: TestPublisher
    let ids: [String]

    /// `fs-0001`, `fs-0002`, …
    static func ids(_ count: Int) -> [String] { (1...count).map { String(format: "fs-%04d", $0) } }

    /// The registry: every detector in the one grid, each at a venue of its own, so each
    /// alarm is an incident of its own.
    static func registry(_ ids: [String]) -> String {
        let rows = ids.enumerated().map { index, id in
            "\(id),yq-c01-g01,北湖路\(index + 1)号,北湖路\(index + 1)号,residential,"
        }
        return (["device_id,grid,address,venue,venue_type,profile"] + rows).joined(separator: "\n")
    }

    /// An alarm from `device`, at QoS 1, acknowledged by the broker before this returns; a
    /// detector whose broker has just come back keeps trying, for up to 30 s, as a real one does.
    func alarm(_ device: String, seq: Int = 1) async throws {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                return try await publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(seq)}"#)
            } catch  where Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Heartbeats at QoS 0 from every detector in turn, about `perSecond` a second, until cancelled.
    func heartbeats(perSecond: Int) -> Task<Int, Never> {
        let publisher = self.publisher
        let detectors = ids
        return Task {
            var sent = 0
            while !Task.isCancelled {
                for _ in 0..<max(1, perSecond / 20) {
                    let device = detectors[sent % detectors.count]
                    try? await publisher.publish(
                        "smokegate/detectors/\(device)/event", #"{"type":"heartbeat","battery":90}"#, qos: 0)
                    sent += 1
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return sent
        }
    }

    /// Alarms from one detector after another, `gap` apart, until every detector has sent one
    /// or `trickle` is stopped; returns the devices whose alarm the broker acknowledged.
    func trickle(gap: Duration, _ trickle: Trickle) -> Task<[String], any Error> {
        Task {
            var sent: [String] = []
            for device in ids where !trickle.isStopped {
                try await alarm(device)
                sent.append(device)
                trickle.acknowledged()
                try await Task.sleep(for: gap)
            }
            return sent
        }
    }
}

extension AlarmLedger {
    /// Waits until every alarm of the ledger has its incident with every tier called, the
    /// outbox is empty and the responders have every call, or `timeout` passes; then checks.
    /// `store` is nil (or throws) while the database cannot be read.
    mutating func settle(store: () throws -> Store?, responders: TestSubscriber, timeout: TimeInterval = 90) async throws {
        let expected = sent.count
        _ = await eventually(timeout: timeout) {
            guard let store = try? store() else { return false }
            guard let incidents = try? store.incidents(includeResolved: true), let backlog = try? store.outboxBacklog()
            else { return false }
            return incidents.count >= expected && incidents.allSatisfy { $0.called.count == 4 } && backlog == 0
                && responders.received.count >= expected * 4
        }
        try await Task.sleep(for: .seconds(1))
        guard let store = try store() else { throw TestSupportError("no database to check") }
        try check(store: store, calls: responders.received)
    }
}
