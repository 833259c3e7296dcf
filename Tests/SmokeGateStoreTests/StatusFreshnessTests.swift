import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// How old a status row is, whatever the wall clock did since it was written.
@Suite struct StatusFreshnessTests {
    let now = Date(timeIntervalSince1970: 1_795_334_400)
    let boot = BootClock(seconds: 10_000, bootID: "0123456789abcdef0123456789abcdef")

    func status(updatedAt: Date, boottime: Double?, bootID: String? = nil, stopped: Bool = false) -> GatewayStatus {
        GatewayStatus(
            pid: 7, clientID: "c", broker: "127.0.0.1:1883", startedAt: updatedAt, updatedAt: updatedAt, connected: true,
            received: 0, rejected: 0, heartbeats: 0, events: 0, duplicates: 0, byFormat: [:], byReason: [:],
            stoppedAt: stopped ? updatedAt : nil, updatedBoottime: boottime, bootID: bootID)
    }

    @Test func aDaemonDeadAMinuteIsNotAliveAfterTheClockWentBackAnHour() {
        // Written a minute ago, when the wall clock still read an hour ahead.
        let row = status(updatedAt: now.addingTimeInterval(3_540), boottime: 9_940, bootID: boot.bootID)
        #expect(row.age(now: now, boot: boot) == .boot(60))
        #expect(!row.isRunning(now: now, boot: boot, staleAfter: 5))
    }

    @Test func aLiveDaemonIsNotDeadAfterTheClockWentForward() {
        let row = status(updatedAt: now.addingTimeInterval(-960), boottime: 9_999.6, bootID: boot.bootID)
        #expect(row.isRunning(now: now, boot: boot, staleAfter: 5))
    }

    @Test func aStatusFromAnEarlierBootIsNotRunningWhateverItsTimes() {
        let row = status(updatedAt: now, boottime: 9_999.9, bootID: "ffffffff-ffff-ffff-ffff-ffffffffffff")
        #expect(row.age(now: now, boot: boot) == .earlierBoot)
        #expect(!row.isRunning(now: now, boot: boot, staleAfter: 5))
        // The machine rebooted less than the status's boot time ago, and no id could be read.
        let lowClock = status(updatedAt: now, boottime: 20_000)
        #expect(lowClock.age(now: now, boot: BootClock(seconds: 100, bootID: nil)) == .earlierBoot)
    }

    @Test func aRowWithoutBootStampsFallsBackToTheWallClockBothWays() {
        #expect(status(updatedAt: now.addingTimeInterval(-1), boottime: nil).isRunning(now: now, boot: boot, staleAfter: 5))
        #expect(!status(updatedAt: now.addingTimeInterval(-6), boottime: nil).isRunning(now: now, boot: boot, staleAfter: 5))
        #expect(
            !status(updatedAt: now.addingTimeInterval(3_600), boottime: nil).isRunning(now: now, boot: boot, staleAfter: 5),
            "a status from the future says the clock stepped, not that the daemon lives")
    }

    @Test func aStoppedDaemonIsNotRunning() {
        #expect(
            !status(updatedAt: now, boottime: 10_000, bootID: boot.bootID, stopped: true).isRunning(
                now: now, boot: boot, staleAfter: 5))
    }

    @Test func theStampsRoundTripAndAStepWhileStoppedIsMeasured() throws {
        let store = try TestDatabase.make(prefix: "status").open()
        let current = BootClock.now()
        try #require(current.bootID != nil, "this machine's boot id is readable")
        let written = status(updatedAt: now, boottime: current.seconds - 30, bootID: current.bootID)
        try store.write(written)
        #expect(try store.readStatus() == written)
        // Thirty seconds on the boot clock, but the wall clock says an hour less than that.
        let step = try #require(try store.wallStepSinceLastStatus(now: now.addingTimeInterval(30 - 3_600), boot: current))
        #expect(abs(step + 3_600) < 1)
        try store.write(status(updatedAt: now, boottime: current.seconds - 30, bootID: "ffffffffffffffffffffffffffffffff"))
        #expect(try store.wallStepSinceLastStatus(now: now, boot: current) == nil, "across a reboot it cannot be measured")
    }
}
