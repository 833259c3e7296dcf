import Foundation
import SmokeGateCore
import SmokeGateStore
import Testing

/// Field rule 6 through the real store: an offline storm is told to each grid as one grouped
/// message, updated at most once a minute, and one message when all have returned; a fire
/// meanwhile is called at once, on its own.
@Suite struct GroupedDispatchTests {
    static let gridA = (1...24).map { String(format: "a-%02d", $0) }
    static let gridB = (1...16).map { String(format: "b-%02d", $0) }

    @Test func anOfflineStormIsToldToEachGridAsOneGroupedMessage() throws {
        var desk = try GroupDesk()
        defer { desk.discard() }
        try desk.wentOffline(Self.gridA, at: 0)
        try desk.wentOffline(Self.gridB, at: 1)
        try desk.advance(to: 1.9)
        #expect(try desk.messages().isEmpty, "gathering what goes offline together")
        try desk.advance(to: 3)
        let first = try desk.messages()
        #expect(first.map(\.topic) == ["smokegate/notify/grid/g1", "smokegate/notify/grid/g2"], "one message per grid")
        #expect(first[0].detectors == Set(Self.gridA) && first[1].detectors == Set(Self.gridB))
        #expect(first.allSatisfy { $0.action == "notify" && $0.kind == "offline" && $0.at == ($0.topic.hasSuffix("g1") ? 2 : 3) })
    }

    @Test func aGroupGrowsByUpdatesOncePerIntervalAndEndsWithOneMessage() throws {
        var desk = try GroupDesk()
        defer { desk.discard() }
        try desk.wentOffline(Array(Self.gridA[0..<10]), at: 0)
        try desk.wentOffline(Array(Self.gridA[10..<20]), at: 10)
        try desk.wentOffline(Array(Self.gridA[20..<24]), at: 30)
        try desk.heard(Array(Self.gridA[0..<12]), at: 100)
        try desk.heard(Array(Self.gridA[12..<24]), at: 110)
        try desk.advance(to: 600)
        let sent = try desk.messages()
        #expect(sent.map(\.at) == [2, 62, 112], "opened, grown, and over: \(sent)")
        #expect(sent.first?.detectors.count == 10)
        #expect(sent.dropFirst().first?.detectors.count == 24, "the update lists all 24")
        #expect(sent.last?.action == "resolve" && sent.last?.detectors.isEmpty == true, "one message when they return")
        #expect(Set(sent.map(\.group)).count == 1, "all one group")
    }

    @Test func aFireIsCalledAtOnceWhateverMaintenanceWaits() throws {
        var desk = try GroupDesk()
        defer { desk.discard() }
        try desk.wentOffline(Self.gridA, at: 0)
        try desk.event(.alarm, from: "a-01", at: 0.5)
        let sent = try desk.messages()
        #expect(sent.map(\.kind) == ["fire"] && sent[0].at == 0.5 && sent[0].group == nil, "the fire goes alone, at once")
        try desk.advance(to: 2)
        #expect(try desk.messages().filter { $0.kind == "offline" }.count == 1)
    }

    @Test func faultsAndSilenceOfOneGridAreSeparateGroupsAndAcknowledgementsAreTold() throws {
        var desk = try GroupDesk()
        defer { desk.discard() }
        try desk.event(.fault, from: "a-01", at: 0)
        try desk.event(.fault, from: "a-02", at: 0.5)
        try desk.wentOffline(["a-03"], at: 1)
        try desk.advance(to: 5)
        #expect(try desk.messages().map(\.kind) == ["fault", "offline"])
        let faultJob = try #require(try desk.store.incidents(kind: .fault).first)
        try desk.acknowledge(faultJob.id, at: 10)
        try desk.event(.faultClear, from: "a-01", at: 80)
        try desk.event(.faultClear, from: "a-02", at: 81)
        try desk.advance(to: 200)
        let faults = try desk.messages().filter { $0.kind == "fault" }
        #expect(faults.map(\.action) == ["notify", "notify", "resolve"], "\(faults)")
        #expect(faults.map(\.at) == [2, 62, 83], "the acknowledgement waits for the interval; the end only gathers")
    }

    @Test func aFloodOfStrangersAlarmsReachesTheStreetFirstOneByOneThenGrouped() throws {
        var desk = try GroupDesk()
        defer { desk.discard() }
        for index in 0..<10 { try desk.event(.alarm, from: "forged-\(index)", at: Double(index) * 0.1) }
        let atOnce = try desk.messages()
        #expect(atOnce.count == DispatchGrouping.floodThreshold, "the first ones each called at once")
        #expect(atOnce.allSatisfy { $0.topic == "smokegate/notify/street/yongquan" && $0.group == nil })
        try desk.advance(to: 2)
        let grouped = try desk.messages().dropFirst(DispatchGrouping.floodThreshold)
        #expect(grouped.count == 1, "the rest in one message to the street")
        #expect(grouped.first?.kind == "fire" && grouped.first?.detectors.count == 10 - DispatchGrouping.floodThreshold)
        #expect(try desk.store.incidents(kind: .fire).count == 10, "every alarm is a fire on record")
    }
}
