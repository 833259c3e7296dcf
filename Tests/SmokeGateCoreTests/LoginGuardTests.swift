import SmokeGateCore
import Testing

/// The console's lock-out after failed logins, as timelines: minutes of attempts walked in
/// microseconds on an injected clock.
@Suite struct LoginGuardTests {
    typealias Guard = LoginGuard<ContinuousClock.Instant>
    let start = ContinuousClock.now
    func at(_ seconds: Int) -> ContinuousClock.Instant { start.advanced(by: .seconds(seconds)) }

    /// Fails `count` times, a second apart from `from`; returns the lock-outs the last started.
    @discardableResult
    func fail(_ guard: inout Guard, _ name: String, from address: String, times count: Int, from first: Int = 0) -> [Guard.Scope]
    {
        var started: [Guard.Scope] = []
        for second in first..<first + count {
            #expect(`guard`.attempt(name: name, address: address, at: at(second)) == .check)
            started = `guard`.failed(name: name, address: address, at: at(second))
        }
        return started
    }

    @Test func fiveWrongPasswordsLockTheNameOutAtThatDeskForFifteenMinutes() {
        var loginGuard = Guard()
        #expect(fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 4).isEmpty)
        #expect(fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 1, from: 4) == [.pair], "the fifth starts it")
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(5)) == .refuse(until: at(904), scope: .pair))
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(903)) == .refuse(until: at(904), scope: .pair))
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(904)) == .check, "over at 15 minutes")
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.9", at: at(5)) == .check, "the same name elsewhere")
        #expect(loginGuard.attempt(name: "li.na", address: "10.0.0.5", at: at(5)) == .check, "another name at the desk")
    }

    @Test func failuresOlderThanTheWindowAreForgotten() {
        var loginGuard = Guard()
        fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 4)
        // The fifth comes after the first four have left the 15-minute window.
        #expect(fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 1, from: 900).isEmpty)
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(901)) == .check)
    }

    @Test func aRightPasswordForgetsThatDesksFailures() {
        var loginGuard = Guard()
        fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 4)
        loginGuard.succeeded(name: "wang.wei", address: "10.0.0.5")
        #expect(fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 4, from: 10).isEmpty, "four more, not a fifth")
    }

    @Test func refusedAttemptsNeitherCountNorLengthenTheLockout() {
        var loginGuard = Guard()
        fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 5)
        for second in stride(from: 10, to: 900, by: 10) {
            #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(second)) != .check)
        }
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(904)) == .check)
        #expect(fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 1, from: 904).isEmpty, "a new count from zero")
    }

    @Test func anAddressSprayingNamesIsLockedOutWhateverItTries() {
        var loginGuard = Guard()
        for index in 0..<19 { fail(&loginGuard, "user\(index)", from: "10.0.0.66", times: 1, from: index) }
        #expect(fail(&loginGuard, "user19", from: "10.0.0.66", times: 1, from: 19) == [.address])
        #expect(
            loginGuard.attempt(name: "wang.wei", address: "10.0.0.66", at: at(20)) == .refuse(until: at(919), scope: .address))
        #expect(loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(20)) == .check, "the desk is not")
    }

    @Test func manyAddressesGuessingOneNameLockItEverywhere() {
        var loginGuard = Guard()
        var started: [Guard.Scope] = []
        for index in 0..<50 { started = fail(&loginGuard, "wang.wei", from: "10.1.0.\(index)", times: 1, from: index) }
        #expect(started == [.name], "the fiftieth address's failure")
        #expect(
            loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(50)) == .refuse(until: at(949), scope: .name))
    }

    @Test func theLongestLockoutThatAppliesIsTheOneSaid() {
        var loginGuard = Guard()
        // The pair's lock-out runs to 904; the address's twentieth failure, at 114, starts one to 1014.
        fail(&loginGuard, "wang.wei", from: "10.0.0.5", times: 5)
        for index in 0..<15 { fail(&loginGuard, "user\(index)", from: "10.0.0.5", times: 1, from: 100 + index) }
        #expect(
            loginGuard.attempt(name: "wang.wei", address: "10.0.0.5", at: at(200)) == .refuse(until: at(1014), scope: .address))
    }

    @Test func aFloodOfMadeUpNamesKeepsMemoryBounded() {
        var policy = Guard.Policy()
        policy.tracked = 300
        var loginGuard = Guard(policy: policy)
        for index in 0..<5_000 {
            loginGuard.failed(name: "ghost\(index)", address: "10.2.\(index / 250).\(index % 250)", at: at(index / 100))
        }
        #expect(loginGuard.trackedCount <= 300)
        // A lock-out in force is kept while the flood goes on elsewhere.
        var kept = Guard(policy: policy)
        fail(&kept, "wang.wei", from: "10.0.0.5", times: 5)
        for index in 0..<1_000 { kept.failed(name: "ghost\(index)", address: "10.3.0.\(index % 200)", at: at(6)) }
        #expect(kept.attempt(name: "wang.wei", address: "10.0.0.5", at: at(7)) != .check)
    }
}
