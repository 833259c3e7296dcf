import Foundation
import SmokeGateTestSupport
import Testing

/// The real `smokegated` killed while it holds a platform's push: no `200` left, so the
/// platform retries, and the restarted daemon stores the alarm exactly once and calls it,
/// whether the crash came before or after the commit.
@Suite(.serialized) struct PushDurabilityTests {
    @Test(arguments: ["crash-before-commit", "crash-after-commit"])
    func aPushInterruptedByACrashIsStoredOnceWhenThePlatformRetries(fault: String) async throws {
        let street = try await PushStreet.start(environment: ["SMOKEGATE_FAULT_INJECTION": fault])
        let alarm = PushStreet.ctwingReport(status: 1, at: 1_795_334_460_000)
        let answer = street.push(PushStreet.ctwingPath, alarm)
        #expect(answer == nil || answer?.status != 200, "no 200 leaves a daemon that died holding the push")
        #expect(await street.daemon.process.waitForExit(timeout: 30) == 86, "died where the fault was injected")
        #expect(try street.daemon.store.events(kind: .alarm).count == (fault == "crash-before-commit" ? 0 : 1))

        let restarted = try await street.restarted()
        // The platform's retry of the push it got no 200 for.
        #expect(restarted.push(PushStreet.ctwingPath, alarm)?.status == 200)
        #expect(try restarted.daemon.store.events(kind: .alarm).count == 1, "stored exactly once")
        #expect(try restarted.daemon.store.incidents().filter { $0.kind == .fire }.count == 1)
        // One call: the first daemon may have published it before it died and the restarted one
        // sends it again under the same notification id (at least once; receivers drop repeats).
        #expect(await eventually(timeout: 20, { !restarted.grid("notify").isEmpty }), "the grid is called")
        try await Task.sleep(for: .milliseconds(1_000))
        #expect(Set(restarted.grid("notify").compactMap { $0.field("notification") }).count == 1, "one call, by its id")
        await restarted.stop()
    }
}
