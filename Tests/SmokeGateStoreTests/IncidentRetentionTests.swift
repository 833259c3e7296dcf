import Foundation
import GRDB
import SmokeGateCore
import SmokeGateStore
import Testing

/// Retention of sent calls and of closed incidents' detail, on a real database file: the
/// incident and the summary of its timeline stay for the look-back report, the bulk goes,
/// nothing of an unresolved incident and no call still waiting is touched.
@Suite struct IncidentRetentionTests {
    let street: OutboxStreet
    let day: TimeInterval = 86_400

    init() throws {
        street = try OutboxStreet(prefix: "incident-retention")
        let store = street.store
        // Incident 1, 0-2000 s: a fire, its alarm repeated; the grid acknowledges, is reminded
        // half an hour later, and resolves it as a false alarm.
        try street.report("fire-a", .alarm, at: 0)
        try street.report("fire-a", .alarm, at: 10, seq: 2)
        try store.acknowledge(1, by: "王", note: "on my way", at: street.at(60), desk: street.desk)
        #expect(try store.fireDeadlines(at: street.at(1_860), desk: street.desk).fired == 1)
        try street.report("fire-a", .alarmClear, at: 1_900, seq: 3)
        try store.resolve(1, by: "王", cause: "false_alarm", note: "burnt toast", at: street.at(2_000), desk: street.desk)
        // Incident 2: a low battery, reported again, then replaced.
        try street.report("m-1", .lowBattery, at: 2_100)
        try street.report("m-1", .lowBattery, at: 2_200, seq: 2)
        try street.report("m-1", .batteryRestored, at: 2_300, seq: 3)
        // Incident 3: a low battery nobody has replaced yet.
        try street.report("m-2", .lowBattery, at: 2_400)
        try street.report("m-2", .lowBattery, at: 2_500, seq: 2)
        // Every call so far is taken by the broker, one thread at a time.
        while try !street.dispatch(at: 2_600).isEmpty {}
        // Incident 4: a fire resolved at once, whose `resolve` the broker has not taken yet.
        try street.report("fire-b", .alarm, at: 2_700)
        while try !street.dispatch(at: 2_700).isEmpty {}
        try street.report("fire-b", .alarmClear, at: 2_750, seq: 2)
        try store.resolve(4, by: "李", cause: "test", note: nil, at: street.at(2_800), desk: street.desk)
        #expect(try street.dispatch(at: 2_800, confirmed: false) == ["resolve grid/g1"])
    }

    /// One pass as the daemon's pruner runs it, `limit` rows a transaction; returns the
    /// transactions it took and the rows and incidents it reported.
    @discardableResult
    func prune(at seconds: TimeInterval, outbox: TimeInterval, incidents: TimeInterval, limit: Int) throws -> (
        transactions: Int, calls: Int, detail: Int, summarised: Int
    ) {
        var result = (transactions: 0, calls: 0, detail: 0, summarised: 0)
        var cursor = PruneCursor.start
        while true {
            let step = try street.store.pruneSentNotifications(
                sentBefore: street.at(seconds - outbox), from: cursor, limit: limit)
            result.transactions += 1
            result.calls += step.removed
            guard let next = step.next else { break }
            cursor = next
        }
        cursor = .start
        while true {
            let step = try street.store.pruneIncidentDetail(
                resolvedBefore: street.at(seconds - incidents), from: cursor, limit: limit)
            result.transactions += 1
            result.detail += step.removed
            result.summarised += step.summarised
            guard let next = step.next else { break }
            cursor = next
        }
        return result
    }

    func actions(_ id: Int64) throws -> [TimelineEntry.Action] { try street.store.timeline(of: id).map(\.action) }

    @Test func pastTheWindowsTheBulkGoesAndTheSummaryStays() throws {
        let store = street.store
        let fires = try store.fires(since: street.at(-day))
        let before = (try actions(1), try actions(3), try actions(4))
        #expect(before.0 == [.opened, .called, .alarmRepeated, .acknowledged, .reminded, .called, .alarmCleared, .resolved])
        #expect(try store.notifications(of: 1).count == 4 && store.notifications(of: 3).count == 1)
        // Within both windows nothing goes.
        #expect(try prune(at: 6 * day, outbox: 7 * day, incidents: 90 * day, limit: 2).calls == 0)
        #expect(try store.notifications(of: 1).count == 4)
        // A week on: the calls the broker took go, except those of the incident still open
        // and the one still waiting.
        let week = try prune(at: 8 * day, outbox: 7 * day, incidents: 90 * day, limit: 2)
        #expect(week.calls == 7 && week.detail == 0)
        #expect(try store.notifications(of: 1).isEmpty && store.notifications(of: 2).isEmpty)
        #expect(try store.notifications(of: 3).count == 1, "incident 3 is not resolved")
        #expect(try store.notifications(of: 4).map(\.sentAt) == [nil], "its resolve still waits for the broker")
        // A hundred days on: the detail of incidents 1 and 2 goes, two rows a transaction.
        let hundred = try prune(at: 100 * day, outbox: 7 * day, incidents: 90 * day, limit: 2)
        #expect(hundred.summarised == 2 && hundred.detail == 6, "\(hundred)")
        #expect(hundred.transactions >= 4, "three lines and a membership row, then one line and another")
        #expect(try actions(1) == [.opened, .called, .acknowledged, .called, .resolved])
        #expect(try actions(2) == [.opened, .called, .resolved])
        // Who was called, who acknowledged, who resolved and why are still there.
        let summary = try store.auditedTimeline(of: 1).map(\.entry)
        #expect(summary.first { $0.action == .acknowledged }?.by == "王")
        #expect(summary.first { $0.action == .resolved }?.note?.contains("burnt toast") == true)
        #expect(try store.incident(1)?.cause == "false_alarm" && store.incident(1)?.members == ["fire-a"])
        // Untouched: the open incident, and the one whose call still waits.
        #expect(try actions(3) == before.1 && actions(4) == before.2)
        // The look-back report reads the same.
        #expect(try store.fires(since: street.at(-day)) == fires)
        #expect(try store.incidents(includeResolved: true).count == 4)
        // Nothing more to do until something changes: a pass finds nothing.
        #expect(try prune(at: 100 * day, outbox: 7 * day, incidents: 90 * day, limit: 2).detail == 0)
        // The broker takes incident 4's resolve; the next pass summarises it too.
        #expect(try street.dispatch(at: 100 * day) == ["resolve grid/g1"])
        let later = try prune(at: 108 * day, outbox: 7 * day, incidents: 90 * day, limit: 1_000)
        #expect(later.calls == 1 && later.detail == 2 && later.summarised == 1 && later.transactions == 2, "\(later)")
        #expect(try store.notifications(of: 4).isEmpty && actions(4) == [.opened, .called, .resolved])
    }

    @Test func detectorsThatJoinedAFireStayListedAndALongTimelineGoesInSmallTransactions() throws {
        let store = street.store
        // 3000 s: smoke at venue a again, a second detector there joins the fire; the grid
        // acknowledges and is reminded every half hour, 30 times, until the fire is resolved.
        try street.report("fire-a", .alarm, at: 3_000, seq: 4)
        try street.report("fire-a2", .alarm, at: 3_005)
        let fire = try #require(try store.incidents().first { $0.kind == .fire })
        #expect(fire.members == ["fire-a", "fire-a2"])
        try store.acknowledge(fire.id, by: "王", note: nil, at: street.at(3_010), desk: street.desk)
        for reminder in 1...30 {
            #expect(try store.fireDeadlines(at: street.at(3_010 + Double(reminder) * 1_800), desk: street.desk).fired == 1)
        }
        try street.report("fire-a", .alarmClear, at: 59_000, seq: 5)
        try street.report("fire-a2", .alarmClear, at: 59_000, seq: 2)
        try store.resolve(fire.id, by: "王", cause: "cooking", note: nil, at: street.at(60_000), desk: street.desk)
        while try !street.dispatch(at: 60_000).isEmpty {}
        #expect(try actions(fire.id).filter { $0 == .reminded }.count == 30)
        let run = try prune(at: 200 * day, outbox: 7 * day, incidents: 90 * day, limit: 4)
        #expect(try !actions(fire.id).contains(.reminded) && actions(fire.id).contains(.alarmNearby))
        #expect(run.transactions > 30 / 4, "at most four rows a transaction")
        #expect(try store.incident(fire.id)?.members == ["fire-a", "fire-a2"], "who else alarmed stays on record")
    }
}
