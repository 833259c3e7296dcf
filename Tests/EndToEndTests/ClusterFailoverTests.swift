import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Two real gateways on a real PostgreSQL server and a real broker: the leader killed, paused
/// or cut off from the database, and the database itself crashing under a stream of alarms.
/// The ladder is spaced (2 s, 8 s, 14 s) and the lease is 2 s.
@Suite(.serialized) struct ClusterFailoverTests {
    /// Starts `gw-a` (which takes the lease), then `gw-b` as its standby.
    private func cluster(behindRelay: Bool = false, durable: Bool = false) async throws -> ClusterStreet {
        let street = try await ClusterStreet(durable: durable)
        try await street.start("gw-a", behindRelay: behindRelay)
        #expect(await eventually(timeout: 10) { (try? street.leader()) == "gw-a" }, "the first node leads")
        try await street.start("gw-b")
        #expect(await eventually(timeout: 10) { street.role("gw-b") == "standby" && street.role("gw-a") == "leader" })
        return street
    }

    /// The alarm, and when the incident opened as its grid call says.
    private func alarm(_ street: ClusterStreet) async throws -> Date {
        try await street.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 10) { street.calls(tier: "grid").count == 1 }, "\(street.logs)")
        return try #require(street.calls(tier: "grid").first?.field("opened_at").flatMap(ClusterStreet.date))
    }

    /// Each tier called exactly once, one notification each, and when each came after the opening.
    private func expectEachTierOnce(_ street: ClusterStreet) {
        for tier in ["grid", "community", "street", "station"] {
            #expect(street.calls(tier: tier).count == 1, "\(tier) called once: \(street.calls.map(\.topic))\n\(street.logs)")
        }
        #expect(Set(street.calls.compactMap { $0.field("notification") }).count == street.calls.count, "no call sent twice")
    }

    @Test func aLeaderKilledBetweenTwoTiersIsFollowedByTheStandbyWithinTheLeasePlusASecond() async throws {
        let street = try await cluster()
        defer { street.shutdown() }
        let opened = try await alarm(street)
        #expect(await eventually(timeout: 10) { street.calls(tier: "community").count == 1 })
        // Killed a second before the street's deadline (8 s): its lease still runs past it.
        try await Task.sleep(for: .seconds(max(0, opened.addingTimeInterval(7).timeIntervalSinceNow)))
        #expect(await street.nodes["gw-a"]!.process.stop(signal: SIGKILL) != 0)
        #expect(await eventually(timeout: 15) { street.calls(tier: "street").count == 1 }, "\(street.logs)")
        let late = try #require(street.calls(tier: "street").first).arrivedAt.timeIntervalSince(opened) - 8
        #expect(late <= street.lease + 1, "the street was called \(late) s late; the lease is \(street.lease) s")
        #expect(await eventually(timeout: 15) { street.calls(tier: "station").count == 1 }, "\(street.logs)")
        try await Task.sleep(for: .seconds(1))
        expectEachTierOnce(street)
        #expect(try street.leader() == "gw-b")
        let called = try street.store().timeline(of: 1).filter { $0.action == .called }.compactMap(\.tier)
        #expect(called == [.grid, .community, .street, .station], "each tier once on the timeline")
        // The console, with either node's configuration, says who leads now and who is gone.
        let status = try await BinaryProcess.run(
            "smokegate", ["status", "--json", "--config", street.nodes["gw-a"]!.files.mainFile.path])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], "\(status.stderr)")
        #expect(json["node"] as? String == "gw-b" && json["role"] as? String == "leader", "\(status.stdout)")
        let nodes = (json["cluster"] as? [[String: Any]]) ?? []
        #expect(nodes.map { $0["node"] as? String } == ["gw-a", "gw-b"], "\(status.stdout)")
        let gone = nodes.first?["running"] as? Bool
        let leading = nodes.last?["role"] as? String
        #expect(gone == false && leading == "leader", "\(status.stdout)")
    }

    @Test func aLeaderPausedPastItsLeaseCallsNobodyWhenItResumes() async throws {
        let street = try await cluster()
        defer { street.shutdown() }
        let opened = try await alarm(street)
        // Paused just before the community's deadline (2 s), for three leases.
        try await Task.sleep(for: .seconds(max(0, opened.addingTimeInterval(1.5).timeIntervalSinceNow)))
        let paused = street.nodes["gw-a"]!.process.pid
        kill(paused, SIGSTOP)
        #expect(await eventually(timeout: 10) { street.calls(tier: "community").count == 1 }, "the standby called")
        #expect(try street.leader() == "gw-b")
        try await Task.sleep(for: .seconds(street.lease * 3))
        kill(paused, SIGCONT)
        // Back, with the community's deadline long past in its memory: it must call nobody.
        #expect(await eventually(timeout: 10) { street.role("gw-a") == "standby" }, "\(street.logs)")
        #expect(await eventually(timeout: 20) { street.calls(tier: "station").count == 1 }, "\(street.logs)")
        try await Task.sleep(for: .seconds(2))
        expectEachTierOnce(street)
        #expect(street.nodes["gw-a"]!.process.standardError.contains("calling nobody"), "the old leader said it stepped down")
    }

    @Test func aLeaderCutOffFromTheDatabaseStepsDownAndTheStandbyCalls() async throws {
        let street = try await cluster(behindRelay: true)
        defer { street.shutdown() }
        let opened = try await alarm(street)
        #expect(await eventually(timeout: 10) { street.calls(tier: "community").count == 1 })
        try await Task.sleep(for: .seconds(max(0, opened.addingTimeInterval(4).timeIntervalSinceNow)))
        let cutAt = Date()
        street.relays["gw-a"]!.cut()
        // The cut-off leader can still answer /healthz: it stands down within its lease.
        #expect(await eventually(timeout: 10) { street.role("gw-a") == "standby" }, "\(street.logs)")
        #expect(Date().timeIntervalSince(cutAt) <= street.lease + 1, "stepped down within the lease")
        #expect(await eventually(timeout: 10) { (try? street.leader()) == "gw-b" })
        #expect(await eventually(timeout: 20) { street.calls(tier: "station").count == 1 }, "\(street.logs)")
        try await Task.sleep(for: .seconds(1))
        expectEachTierOnce(street)
        let late = try #require(street.calls(tier: "street").first).arrivedAt.timeIntervalSince(opened) - 8
        #expect(late <= street.lease + 1, "the street was called \(late) s late")
    }

    @Test func aDatabaseCrashDuringAStreamOfAlarmsLosesNoneAndStoresEachOnce() async throws {
        let street = try await cluster(durable: true)
        defer { street.shutdown() }
        let publisher = try await street.publisher()
        let alarms = 60
        for seq in 1...alarms {
            // Strangers, one alarm each: every one is an event of its own to find afterwards.
            try await publisher.publish("smokegate/detectors/burst-\(seq)/event", #"{"type":"alarm","seq":\#(seq)}"#)
            if seq == alarms / 3 { street.postgres.stop(immediately: true) }
            if seq == alarms / 2 { try street.postgres.start() }
            try await Task.sleep(for: .milliseconds(50))
        }
        func stored() throws -> [String: Int] {
            let events = try street.store().events(kind: .alarm).filter { $0.deviceID.hasPrefix("burst-") }
            return Dictionary(grouping: events, by: \.deviceID).mapValues(\.count)
        }
        #expect(await eventually(timeout: 60) { (try? stored().count) == alarms }, "\(street.logs)")
        try await Task.sleep(for: .seconds(2))
        let counts = try stored()
        #expect(
            counts.count == alarms,
            "every alarm stored: missing \(Set((1...alarms).map { "burst-\($0)" }).subtracting(counts.keys))")
        #expect(counts.values.allSatisfy { $0 == 1 }, "each stored once: \(counts.filter { $0.value > 1 })")
    }
}
