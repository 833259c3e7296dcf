import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Wall-clock steps at the store: schedules move with the step, records stay as they
/// happened, and the ladder keeps its offsets from the moved origin (field rule 5).
extension IncidentStoreTests {
    @Test func aForwardStepMovesDeadlinesAndRetriesButNotRecordsOrSilences() throws {
        try alarm("det-1", seq: 1, at: 0)
        let fault = DetectorEvent(deviceID: "det-2", kind: .fault, format: .native, identity: .stamped("1"))
        try store.commit(
            [IncomingEvent(event: fault, topic: "smokegate/detectors/det-2/event", payload: "{}", receivedAt: at(1))],
            state: DeviceLiveState(
                deviceID: "det-2", format: .native, lastSeenAt: at(1), reading: DeviceReading(), condition: []),
            desk: desk)
        try store.resolve(2, by: "网格员", cause: "false alarm", note: nil, at: at(5), desk: desk)
        let pending = try store.pendingNotifications(at: at(5))
        let waiting = try store.outboxBacklog()
        try store.markFailed(pending.filter { $0.topic.hasSuffix("grid/g1") }.prefix(1).map(\.id), error: "test", at: at(5))
        let silence = try store.addSilence(
            .grid("g1"), reason: "drill", by: "张", osUser: nil, from: at(0), until: at(3_600))
        let timeline = try store.timeline(of: 1)

        let moved = try store.shiftSchedules(by: 960)
        #expect(moved.incidents == 1, "the resolved incident has no schedule")
        #expect(moved.notifications == waiting, "every call not yet sent, those held behind an earlier one too")
        let fire = try #require(try store.incident(1))
        #expect(fire.nextDeadline == at(180 + 960))
        #expect(fire.openedAt == at(0), "opened_at is a record")
        #expect(try store.timeline(of: 1) == timeline, "the timeline is a record")
        #expect(try store.incident(2)?.resolvedAt == at(5))
        #expect(try store.silences(at: at(10)).map(\.endsAt) == [silence.endsAt], "a silence is a wall-clock appointment")
        #expect(try store.pendingNotifications(at: at(960.5)).isEmpty, "every attempt moved on with the clock")
        #expect(try store.pendingNotifications(at: at(5.5 + 960)).count == pending.count)

        // The ladder keeps its offsets from the moved origin: the community at 3 min, and
        // not the street and station too, as offsets from opened_at would have it.
        try store.fireDeadlines(at: at(180 + 960), desk: desk)
        #expect(try store.incident(1)?.called == [.grid, .community])
        try store.fireDeadlines(at: at(600 + 960), desk: desk)
        #expect(try store.incident(1)?.called == [.grid, .community, .street])
        let notes = try store.timeline(of: 1).compactMap(\.note)
        #expect(!notes.contains { $0.contains("late by") }, "on time, not late: \(notes)")
    }

    @Test func aBackwardStepBringsTheLadderBackByAsMuch() throws {
        try alarm("det-1", seq: 1, at: 0)
        try store.shiftSchedules(by: -3_600)
        #expect(try store.nextDeadline() == at(180 - 3_600))
        try store.fireDeadlines(at: at(180 - 3_600), desk: desk)
        #expect(try store.incident(1)?.called == [.grid, .community], "called at its offset, not an hour late")
    }

    @Test func aMovedTransactionIsUndoneWhenTheClockCannotMove() throws {
        try alarm("det-1", seq: 1, at: 0)
        struct ClockRefused: Error {}
        #expect(throws: ClockRefused.self) { try store.shiftSchedules(by: 960) { throw ClockRefused() } }
        #expect(try store.nextDeadline() == at(180), "nothing moved")
    }

    @Test func aRetryPlannedBeyondAnyBackoffIsDueAtOnce() throws {
        try alarm("det-1", seq: 1, at: 0)
        let ids = try store.pendingNotifications(at: at(0)).map(\.id)
        try store.markFailed(ids, error: "test", at: at(0))
        // Planned at 0.5 s, then the wall clock went back an hour without the store hearing of it.
        #expect(try store.pendingNotifications(at: at(-3_600)).map(\.id) == ids)
        #expect(try store.nextOutboxAttempt(at: at(-3_600)) == at(-3_600))
        #expect(try store.pendingNotifications(at: at(0.4)).isEmpty, "a retry within the backoff waits")
        #expect(try store.nextOutboxAttempt(at: at(0.4)) == at(0.5))
    }
}
