import Foundation
import GRDB
import SmokeGateCore
import SmokeGateStore
import Testing

/// The delivery outbox: one delivery per (call, receiver), per person for texts, committed
/// with the call; in order per receiver and incident; fires first; nothing paged after an
/// answer; and a call that cannot be delivered is an alarm for the street.
@Suite struct DeliveryStoreTests {
    @Test func aFireCallIsWrittenOncePerReceiverAndOncePerPersonForTexts() throws {
        let street = try DeliveryStreet(prefix: "deliveries-written")
        try street.report("fire-a", .alarm, at: 0)
        #expect(try street.due("robot", at: 0) == ["notify grid/g1"])
        // 王伟 is listed twice (the same phone written two ways): texted once.
        #expect(try street.due("sms", at: 0) == ["notify grid/g1 王伟", "notify grid/g1 李娜"])
        let codes = try street.store.dueDeliveries(receiver: "sms", at: street.at(0), limit: 10).compactMap(\.answerCode)
        #expect(codes.count == 2 && Set(codes).count == 2 && codes.allSatisfy { $0.count == 6 && $0.allSatisfy(\.isNumber) })
        // The street's receivers are not called at 0 s: only the grid tier is.
        #expect(try street.due("desk-hook", at: 0).isEmpty)
        // At 3 minutes the community's text goes; nothing for the robot, which the community lacks.
        _ = try street.store.fireDeadlines(at: street.at(180), desk: street.desk)
        #expect(try street.due("sms", at: 180).contains("notify community/c1 社区值班"))
    }

    @Test func anAckWaitsBehindItsNotifyPerReceiverAndFiresGoFirst() throws {
        let street = try DeliveryStreet(prefix: "deliveries-order")
        try street.report("m-1", .lowBattery, at: 0)
        try street.report("fire-a", .alarm, at: 1)
        // The fire's call goes before the maintenance call written earlier.
        #expect(try street.due("robot", at: 2) == ["notify grid/g1", "notify grid/g1"])
        let first = try street.store.dueDeliveries(receiver: "robot", at: street.at(2), limit: 10)
        #expect(first.map(\.priority) == [.fire, .maintenance])
        // The robot does not take the fire's call; the grid worker acknowledges meanwhile.
        _ = try street.send("robot", at: 2, .retryLater("busy"))
        try street.store.acknowledge(2, by: "王伟", note: nil, at: street.at(2.5), desk: street.desk)
        // The ack waits behind the notify still waiting out its backoff (1 s).
        #expect(try street.due("robot", at: 2.6).isEmpty)
        let retried = try street.store.dueDeliveries(receiver: "robot", at: street.at(3), limit: 10)
        #expect(retried.map(Self.action) == ["notify", "notify"])
        // The notify was made before the acknowledgement: it is marked answered, not to be sent.
        #expect(retried.first { $0.incident == 2 }?.answeredSince == true)
        #expect(retried.first { $0.incident == 1 }?.answeredSince == false)
    }

    @Test func aCallRefusedForGoodIsOnTheTimelineAndToldToTheStreetOnce() throws {
        let street = try DeliveryStreet(prefix: "deliveries-refused")
        try street.report("fire-a", .alarm, at: 0)
        _ = try street.send("robot", at: 0, .refused("errcode 93000: invalid webhook url"))
        let effects = try street.store.reportFailedDeliveries(at: street.at(1), desk: street.desk)
        #expect(effects.notifications == 1)
        let timeline = try street.store.timeline(of: 1)
        let failed = try #require(timeline.first { $0.action == .callFailed })
        #expect(failed.tier == .grid && failed.note?.contains("via robot") == true && failed.note?.contains("93000") == true)
        // The street hears it on MQTT, and through its webhook; not through the robot that refused.
        let notice = try #require(try street.store.notifications(of: 1).last)
        #expect(notice.topic == "smokegate/notify/street/yongquan" && notice.notification.count == 36)
        #expect(try street.due("desk-hook", at: 1) == ["call_failed street/yongquan"])
        #expect(try street.due("robot", at: 1).isEmpty)
        // Told once.
        #expect(try street.store.reportFailedDeliveries(at: street.at(2), desk: street.desk).notifications == 0)
        // The ladder went on regardless: the community is called at 3 minutes.
        #expect(try street.store.fireDeadlines(at: street.at(180), desk: street.desk).fired == 1)
    }

    @Test func aFireCallStillWaitingAfterAMinuteIsAnAlarmAndANoticesOwnFailureIsNot() throws {
        let street = try DeliveryStreet(prefix: "deliveries-overdue")
        try street.report("fire-a", .alarm, at: 0)
        for second in stride(from: 0.0, through: 59, by: 8) { _ = try street.send("robot", at: second, .retryLater("-1 busy")) }
        #expect(try street.store.reportFailedDeliveries(at: street.at(59), desk: street.desk).notifications == 0)
        // The robot's call and both texts (never sent here) waited past a minute: one notice.
        #expect(try street.store.reportFailedDeliveries(at: street.at(60), desk: street.desk).notifications == 1)
        let linesBefore = try street.store.timeline(of: 1).filter { $0.action == .callFailed }.count
        #expect(linesBefore == 3)
        // The notice to the street fails through its webhook too: written on the timeline, no notice about it.
        _ = try street.send("desk-hook", at: 61, .refused("410 gone"))
        #expect(try street.store.reportFailedDeliveries(at: street.at(62), desk: street.desk).notifications == 0)
        #expect(try street.store.timeline(of: 1).filter { $0.action == .callFailed }.count == linesBefore + 1)
        // The late call is still retried: a minute late is better than never.
        #expect(try street.due("robot", at: 200) == ["notify grid/g1"])
    }

    @Test func aWallClockStepMovesADeliverysRetryAndItsBoundNotItsRecord() throws {
        let street = try DeliveryStreet(prefix: "deliveries-clock-step")
        try street.report("fire-a", .alarm, at: 0)
        _ = try street.send("robot", at: 0, .retryLater("busy"))
        // 10 s later the wall clock jumps 16 minutes forward; the gateway moves its schedules.
        _ = try street.store.shiftSchedules(by: 960)
        // 16 minutes "later" on the wall clock is 10 s later in real time: nobody is told yet.
        #expect(try street.store.reportFailedDeliveries(at: street.at(970), desk: street.desk).notifications == 0)
        #expect(try street.due("robot", at: 960.5).isEmpty, "the retry keeps its second of backoff")
        #expect(try street.due("robot", at: 961) == ["notify grid/g1"])
        // A minute of real time after the call, the street is told.
        #expect(try street.store.reportFailedDeliveries(at: street.at(1_020), desk: street.desk).notifications == 1)
    }

    @Test func aLostAnswerToATextEndsItUnknownAndNeverResendsIt() throws {
        let street = try DeliveryStreet(prefix: "deliveries-unknown")
        try street.report("fire-a", .alarm, at: 0)
        _ = try street.send("sms", at: 0, .unknown("no answer within 10 s"))
        #expect(try street.due("sms", at: 3_600).isEmpty)
        #expect(try street.store.reportFailedDeliveries(at: street.at(1), desk: street.desk).notifications == 1)
    }

    @Test func aRateLimitWaitsUntilTheVendorsTime() throws {
        let street = try DeliveryStreet(prefix: "deliveries-rate")
        try street.report("fire-a", .alarm, at: 0)
        _ = try street.send("robot", at: 0, .rateLimited(until: street.at(45), "45009"))
        #expect(try street.due("robot", at: 44.9).isEmpty)
        #expect(try street.due("robot", at: 45) == ["notify grid/g1"])
    }

    @Test func aMaintenanceCallWithinItsFifteenMinutesNeverHidesAFiresLateCall() throws {
        let street = try DeliveryStreet(prefix: "deliveries-overdue-order")
        // Low batteries waiting for the robot, written before the fire, well within their bound.
        try street.report("m-1", .lowBattery, at: 0)
        try street.report("fire-a", .alarm, at: 1)
        #expect(try street.store.reportFailedDeliveries(at: street.at(61), desk: street.desk, limit: 1).notifications == 1)
        let timeline = try street.store.timeline(of: 2)
        #expect(timeline.contains { $0.action == .callFailed })
        #expect(try street.store.timeline(of: 1).allSatisfy { $0.action != .callFailed })
    }

    @Test func retentionTakesDeliveriesWithTheirCallButNeverOneStillWaiting() throws {
        let street = try DeliveryStreet(prefix: "deliveries-retention")
        try street.report("fire-a", .alarm, at: 0)
        try street.store.markSent(try street.store.pendingNotifications(at: street.at(0)).map(\.id), at: street.at(0))
        _ = try street.send("robot", at: 0)
        try street.store.resolve(1, by: "王伟", cause: "cooking", note: nil, at: street.at(10), desk: street.desk)
        try street.store.markSent(try street.store.pendingNotifications(at: street.at(10)).map(\.id), at: street.at(10))
        // The texts have not gone yet: both calls stay, with all their deliveries.
        _ = try street.send("robot", at: 11)
        #expect(try street.store.pruneSentNotifications(sentBefore: street.at(100)).removed == 0)
        #expect(try street.store.deliveries(of: 1).count == 6)
        // Once every text went, both calls go, with their deliveries and every attempt.
        _ = try street.send("sms", at: 12)
        _ = try street.send("sms", at: 13)
        #expect(try street.store.pruneSentNotifications(sentBefore: street.at(100)).removed == 2)
        #expect(try street.store.deliveries(of: 1).isEmpty)
    }

    @Test func aVoiceCallRingsAPersonOnceForATierWhileTextsTellThemAgain() throws {
        let street = try DeliveryStreet(prefix: "deliveries-voice", gridReceivers: ["sms", "voice"])
        try street.report("fire-a", .alarm, at: 0)
        try street.store.acknowledge(1, by: "王伟", note: nil, at: street.at(5), desk: street.desk)
        // Smoke again long after the acknowledgement: the grid is told again (field rule 1).
        try street.report("fire-a", .alarmClear, at: 100, seq: 2)
        try street.report("fire-a", .alarm, at: 200, seq: 3)
        let calls = try street.store.deliveries(of: 1).filter { $0.action == "notify" }
        #expect(calls.filter { $0.receiver == "sms" }.count == 4, "texted at the alarm and again")
        #expect(calls.filter { $0.receiver == "voice" }.count == 2, "each worker rung once for the grid tier")
    }

    static func action(_ delivery: PendingDelivery) -> String { delivery.action }
}
