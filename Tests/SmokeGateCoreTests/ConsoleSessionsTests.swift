import SmokeGateCore
import Testing

/// The console's sessions as timelines on an injected clock: a duty login lasts while it is
/// used and ends with the shift; a wall screen's lasts a month; an account changed loses
/// every session at once.
@Suite struct ConsoleSessionsTests {
    typealias Sessions = ConsoleSessions<ContinuousClock.Instant>
    let start = ContinuousClock.now
    func at(hours: Double) -> ContinuousClock.Instant { start.advanced(by: .seconds(hours * 3_600)) }

    @Test func aDutySessionLastsWhileUsedAndEndsWithTheShift() {
        var sessions = Sessions()
        sessions.open(name: "wang.wei", role: .duty, token: "t1", csrf: "c1", at: at(hours: 0))
        // Used every hour and a half: never idle for two hours.
        for hour in stride(from: 1.5, through: 10.5, by: 1.5) {
            #expect(sessions.use("t1", at: at(hours: hour))?.name == "wang.wei", "at \(hour) h")
        }
        #expect(sessions.use("t1", at: at(hours: 11.9)) != nil)
        #expect(sessions.use("t1", at: at(hours: 12)) == nil, "12 hours after login, whatever the use")
        #expect(sessions.use("t1", at: at(hours: 12.1)) == nil && sessions.count == 0, "and it is forgotten")
    }

    @Test func aDutySessionLeftAloneForTwoHoursEnds() {
        var sessions = Sessions()
        sessions.open(name: "wang.wei", role: .duty, token: "t1", csrf: "c1", at: at(hours: 0))
        #expect(sessions.use("t1", at: at(hours: 1.99)) != nil)
        #expect(sessions.use("t1", at: at(hours: 3.99)) == nil, "two hours after its last use")
    }

    @Test func aWallScreenPollingKeepsItsSessionForAMonth() {
        var sessions = Sessions()
        sessions.open(name: "screen", role: .viewer, token: "w", csrf: "c", at: at(hours: 0))
        for hour in stride(from: 20.0, to: 720, by: 20) {
            #expect(sessions.use("w", at: at(hours: hour))?.role == .viewer, "at \(hour) h")
        }
        #expect(sessions.use("w", at: at(hours: 720)) == nil, "30 days")
    }

    @Test func anAccountChangedLosesEverySessionAtOnce() {
        var sessions = Sessions()
        sessions.open(name: "wang.wei", role: .duty, token: "desk", csrf: "c1", at: at(hours: 0))
        sessions.open(name: "wang.wei", role: .duty, token: "laptop", csrf: "c2", at: at(hours: 0))
        sessions.open(name: "li.na", role: .duty, token: "other", csrf: "c3", at: at(hours: 0))
        #expect(sessions.endAll(of: "wang.wei") == 2)
        #expect(sessions.use("desk", at: at(hours: 0.1)) == nil && sessions.use("laptop", at: at(hours: 0.1)) == nil)
        #expect(sessions.use("other", at: at(hours: 0.1))?.name == "li.na")
        sessions.end("other")
        #expect(sessions.use("other", at: at(hours: 0.2)) == nil, "logged out")
    }

    @Test func oneAccountHoldsAtMostTwentySessionsTheOldestEndingFirst() {
        var sessions = Sessions()
        for index in 0..<25 {
            sessions.open(name: "wang.wei", role: .duty, token: "t\(index)", csrf: "c", at: at(hours: Double(index) / 100))
        }
        #expect(sessions.count == 20)
        #expect(sessions.use("t4", at: at(hours: 1)) == nil && sessions.use("t5", at: at(hours: 1)) != nil)
    }

    @Test func expiringForgetsOnlyWhatCannotBeUsed() {
        var sessions = Sessions()
        sessions.open(name: "wang.wei", role: .duty, token: "old", csrf: "c", at: at(hours: 0))
        sessions.open(name: "screen", role: .viewer, token: "wall", csrf: "c", at: at(hours: 0))
        sessions.open(name: "li.na", role: .duty, token: "new", csrf: "c", at: at(hours: 2.5))
        sessions.expire(at: at(hours: 3))
        #expect(sessions.count == 2)
        #expect(sessions.use("wall", at: at(hours: 3)) != nil && sessions.use("new", at: at(hours: 3)) != nil)
    }

    @Test func tokensAreComparedWhole() {
        #expect(Sessions.sameToken("a1b2c3", "a1b2c3"))
        #expect(!Sessions.sameToken("a1b2c3", "a1b2c4") && !Sessions.sameToken("a1b2c", "a1b2c3") && !Sessions.sameToken("", "x"))
    }
}
