import Foundation
import GRDB
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Incidents, deadlines and the outbox on a real database file, in virtual time.
@Suite struct IncidentStoreTests {
    let path: String
    let database: TestDatabase
    let store: Store
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)
    let desk: IncidentDesk

    init() throws {
        path = try TemporaryFolder.make(prefix: "incidents").appendingPathComponent("smokegate.db").path
        database = try TestDatabase(path: path)
        store = try database.open()
        let grid = Grid(id: "g1", name: "第一网格", contacts: [Contact(id: "w", name: "网格员", phone: "1")], evacuation: nil)
        let chain = ResponseChain(
            stations: [Station(id: "wgxz", name: "站", contacts: [])],
            streets: [
                Street(
                    id: "yongquan", name: "涌泉街道", stationID: "wgxz", contacts: [],
                    communities: [Community(id: "c1", name: "社区", contacts: [], grids: [grid])])
            ])
        let devices = ["det-1", "det-2"].map {
            RegisteredDevice(deviceID: $0, gridID: "g1", address: "3栋", venue: "3栋", venueType: "residential", profile: "default")
        }
        desk = IncidentDesk(
            ladder: .standard, directory: ResponseDirectory(chain: chain, devices: DeviceRegistry(devices)),
            topicPrefix: "smokegate/notify")
    }

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    @discardableResult
    func alarm(_ device: String, seq: Int, at seconds: TimeInterval) throws -> CommittedEvents {
        let event = DetectorEvent(deviceID: device, kind: .alarm, format: .native, identity: .stamped("\(seq)"))
        return try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at(seconds))],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: at(seconds), reading: DeviceReading(), condition: [.smoke]),
            desk: desk)
    }

    func topics(of id: Int64) throws -> [String] {
        try store.notifications(of: id).map(\.topic)
    }

    @Test func anAlarmOpensAnIncidentAndItsGridCallInTheSameCommit() throws {
        let committed = try alarm("det-1", seq: 1, at: 0)
        let pending = try store.pendingNotifications(at: at(0))
        #expect(
            committed.effects
                == IncidentEffects(
                    opened: 1, notifications: 1, earliestDeadline: at(180), calls: pending.map(\.id),
                    firstFireCalls: pending.map {
                        FirstFireCall(
                            outboxID: $0.id, notification: $0.notification, topic: $0.topic, payload: $0.payload,
                            tier: $0.tier, action: $0.action, createdAt: at(0))
                    }))
        let incident = try #require(try store.incident(1))
        #expect(incident.kind == .fire && incident.state == .open && incident.tier == .grid && incident.nextDeadline == at(180))
        #expect(try topics(of: 1) == ["smokegate/notify/grid/g1"])
        #expect(pending.count == 1, "the grid's call, the one the commit names")
        // A redelivery of the same alarm is not a second event, so nothing more happens.
        #expect(try alarm("det-1", seq: 1, at: 1).effects.isEmpty)
        #expect(try store.timeline(of: 1).map(\.action) == [.opened, .called])
    }

    /// Only a fire the commit opened names its first calls, for the daemon to publish at once:
    /// a tier called at its deadline, a second alarm of the same fire and a fault wait for
    /// the dispatcher as every other call does.
    @Test func onlyAFireTheCommitOpenedNamesItsFirstCalls() throws {
        #expect(try alarm("det-1", seq: 1, at: 0).effects.firstFireCalls.map(\.topic) == ["smokegate/notify/grid/g1"])
        let deadline = try store.fireDeadlines(at: at(180), desk: desk)
        #expect(deadline.fired == 1 && deadline.effects.notifications == 1 && deadline.effects.firstFireCalls.isEmpty)
        #expect(try alarm("det-1", seq: 2, at: 181).effects.firstFireCalls.isEmpty)
        let fault = DetectorEvent(deviceID: "det-2", kind: .fault, format: .native, identity: .stamped("3"))
        let faulted = try store.commit(
            [IncomingEvent(event: fault, topic: "smokegate/detectors/det-2/event", payload: "{}", receivedAt: at(182))],
            state: DeviceLiveState(
                deviceID: "det-2", format: .native, lastSeenAt: at(182), reading: DeviceReading(), condition: [.fault]),
            desk: desk)
        #expect(faulted.effects.opened == 1 && faulted.effects.firstFireCalls.isEmpty)
    }

    @Test func deadlinesFireFromTheDatabaseAfterARestartLateButNeverTwice() throws {
        try alarm("det-1", seq: 1, at: 0)
        #expect(try store.fireDeadlines(at: at(179), desk: desk).fired == 0)
        #expect(try store.fireDeadlines(at: at(180), desk: desk).fired == 1)
        // The daemon is down from 3m to 12m; a new process opens the same file.
        let reopened = try database.open()
        #expect(try reopened.nextDeadline() == at(600))
        let (fired, effects, _) = try reopened.fireDeadlines(at: at(720), desk: desk)
        #expect(fired == 1 && effects.notifications == 1 && effects.earliestDeadline == at(900))
        #expect(try reopened.fireDeadlines(at: at(720), desk: desk).fired == 0, "no tier is called twice")
        #expect(try reopened.fireDeadlines(at: at(900), desk: desk).fired == 1)
        #expect(try reopened.nextDeadline() == at(900 + 1_800), "every tier called: the next thing due is a reminder")
        #expect(
            try topics(of: 1) == ["grid/g1", "community/c1", "street/yongquan", "station/wgxz"].map { "smokegate/notify/" + $0 })
        let street = try reopened.timeline(of: 1).filter { $0.tier == .street }
        #expect(street.count == 1 && street[0].at == at(720) && street[0].note?.contains("late by 2m") == true)
    }

    @Test func twoOperatorsCannotBothAcknowledge() throws {
        try alarm("det-1", seq: 1, at: 0)
        let otherProcess = try database.open()
        try store.acknowledge(1, by: "王", note: "on my way", at: at(240), desk: desk)
        #expect {
            try otherProcess.acknowledge(1, by: "李", note: nil, at: at(241), desk: desk)
        } throws: { error in
            (error as? IncidentRefusal)?.message.hasPrefix("already acknowledged by 王") == true
        }
        let incident = try #require(try store.incident(1))
        #expect(incident.state == .acknowledged && incident.ackedBy == "王" && incident.nextDeadline == at(240 + 1_800))
        #expect(try store.fireDeadlines(at: at(2_000), desk: desk).fired == 0, "the ladder stopped")
        #expect(try topics(of: 1) == ["smokegate/notify/grid/g1", "smokegate/notify/grid/g1"], "the grid is told of the ack")
        #expect(try store.fireDeadlines(at: at(2_040), desk: desk).fired == 1, "half an hour on, a reminder")
        #expect(try topics(of: 1).count == 3 && store.timeline(of: 1).contains { $0.action == .reminded })
        #expect(throws: IncidentRefusal.self) { try store.acknowledge(99, by: "王", note: nil, at: at(1), desk: desk) }
    }

    @Test func anAcknowledgementTakesItsTimeOnlyOnceItHoldsTheWriteLock() throws {
        try alarm("det-1", seq: 1, at: 0)
        // Another process holds the write lock for half a second; a call made meanwhile would
        // predate an acknowledgement that read the clock before waiting.
        let other = try database.open()
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread {
            try? other.patch { _ in
                locked.signal()
                release.wait()
            }
        }.start()
        locked.wait()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { release.signal() }
        let asked = Date()
        let incident = try store.acknowledge(1, by: "王", note: nil, at: Date(), desk: desk)
        #expect(try #require(incident.ackedAt).timeIntervalSince(asked) >= 0.4)
    }

    @Test func resolvingClosesAndASecondDetectorAtTheVenueEscalatesEverything() throws {
        try alarm("det-1", seq: 1, at: 0)
        let second = try alarm("det-2", seq: 1, at: 30)
        #expect(second.effects.opened == 0 && second.effects.notifications == 4, "the grid told again, three tiers called")
        #expect(try store.incidents().count == 1 && store.incident(1)?.members == ["det-1", "det-2"])
        // Both detectors still sense smoke: resolving re-latches them as one fire at once.
        let resolution = try store.resolve(1, by: "王", cause: "cooking", note: nil, at: at(600), desk: desk)
        #expect(resolution.resolved.state == .resolved && resolution.resolved.cause == "cooking")
        #expect(resolution.relatched.map(\.id) == [2] && resolution.relatched[0].members == ["det-1", "det-2"])
        #expect(try store.notifications(of: 1).count == 9, "five calls, four resolutions")
        #expect(try store.notifications(of: 2).count == 4, "every tier called again at once")
    }

    @Test func silenceOpensOfflineIncidentsAndBeingHeardClosesThem() throws {
        let effects = try store.wentOffline([("det-2", nil)], at: at(300), desk: desk)
        #expect(effects.opened == 1 && effects.notifications == 1)
        #expect(try store.devicesOffline() == ["det-2"])
        #expect(try store.wentOffline([("det-2", nil)], at: at(600), desk: desk).opened == 0)
        #expect(try store.heardAgain(["det-2"], at: at(700), desk: desk).notifications == 1)
        #expect(try store.devicesOffline().isEmpty)
    }

    @Test func anUnsentNotificationIsRetriedWithBackoffUnderTheSameID() throws {
        try alarm("det-1", seq: 1, at: 0)
        let first = try #require(try store.pendingNotifications(at: at(0)).first)
        try store.markFailed([first.id], error: "no PUBACK", at: at(10))
        #expect(try store.pendingNotifications(at: at(10)).isEmpty)
        let retried = try #require(try store.pendingNotifications(at: at(11)).first)
        #expect(retried.notification == first.notification && retried.payload == first.payload && retried.attempts == 1)
        for attempt in 1...10 { try store.markFailed([first.id], error: "no PUBACK", at: at(100 * Double(attempt))) }
        #expect(try store.nextOutboxAttempt() == at(1_000 + Store.outboxRetryCeiling), "backoff is capped")
        try store.markSent([first.id], at: at(2_000))
        #expect(try store.outboxBacklog() == 0 && store.nextOutboxAttempt() == nil)
    }
}
