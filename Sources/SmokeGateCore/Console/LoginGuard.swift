/// Who may try a password at the console's login, and who is locked out for a while after
/// failing too often: a pure state machine, time passed in, so a test walks an hour of
/// attempts in microseconds. The caller asks before checking a password (`attempt`), and
/// says how the check went (`failed`, `succeeded`); a refused attempt is not checked at all,
/// so guessing costs the daemon no bcrypt work either.
///
/// Three counts, each over the last `Policy.window`:
/// - a name from one address (`perPair`): the duty officer mistyping at the desk is locked
///   out there, and only there, so someone guessing elsewhere cannot lock the desk out
///   during a fire;
/// - one address, whatever names it tries (`perAddress`): spraying names is stopped too;
/// - one name from everywhere (`perName`, far higher): many addresses guessing one account
///   lock it for all, which the daemon logs as an attack.
/// Attempts refused during a lock-out neither count nor lengthen it.
public struct LoginGuard<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// How many failures lock what out, and for how long.
    public struct Policy: Sendable {
        public var perPair = 5
        public var perAddress = 20
        public var perName = 50
        /// Failures older than this are forgotten.
        public var window: Duration = .seconds(15 * 60)
        public var lockout: Duration = .seconds(15 * 60)
        /// Keys followed at most (names, addresses, pairs together): past it, the key whose
        /// last failure is oldest is forgotten first, so a flood of made-up names cannot
        /// grow the daemon's memory.
        public var tracked = 10_000

        public init() {}
    }

    /// What a lock-out is on.
    public enum Scope: Sendable, Equatable {
        /// This name from this address.
        case pair
        /// Everything from this address.
        case address
        /// This name from every address.
        case name
    }

    /// Whether a password may be checked now.
    public enum Decision: Sendable, Equatable {
        /// Check it, and report the outcome.
        case check
        /// Refuse without checking, until `until`.
        case refuse(until: Instant, scope: Scope)
    }

    private enum Key: Hashable {
        case pair(name: String, address: String)
        case address(String)
        case name(String)
    }

    private struct Record {
        /// Failures inside the window, oldest first.
        var failures: [Instant] = []
        /// Locked until then, if locked.
        var lockedUntil: Instant?
    }

    public let policy: Policy
    private var records: [Key: Record] = [:]

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Whether `name` may try a password from `address` at `now`: the longest lock-out that
    /// applies, if any.
    public func attempt(name: String, address: String, at now: Instant) -> Decision {
        let locks: [(Instant, Scope)] = [
            (records[.pair(name: name, address: address)]?.lockedUntil, Scope.pair),
            (records[.address(address)]?.lockedUntil, .address), (records[.name(name)]?.lockedUntil, .name),
        ].compactMap { until, scope in until.flatMap { $0 > now ? ($0, scope) : nil } }
        guard let longest = locks.max(by: { $0.0 < $1.0 }) else { return .check }
        return .refuse(until: longest.0, scope: longest.1)
    }

    /// A checked password was wrong (or the name unknown): counts it, and returns the
    /// lock-outs it starts, for the log.
    @discardableResult
    public mutating func failed(name: String, address: String, at now: Instant) -> [Scope] {
        var started: [Scope] = []
        let counted: [(Key, Int, Scope)] = [
            (.pair(name: name, address: address), policy.perPair, .pair), (.address(address), policy.perAddress, .address),
            (.name(name), policy.perName, .name),
        ]
        for (key, limit, scope) in counted {
            var record = records[key] ?? Record()
            record.failures.removeAll { $0.duration(to: now) >= policy.window }
            record.failures.append(now)
            if record.failures.count >= limit, record.lockedUntil.map({ $0 <= now }) ?? true {
                record.lockedUntil = now.advanced(by: policy.lockout)
                record.failures.removeAll()
                started.append(scope)
            }
            records[key] = record
        }
        if records.count > policy.tracked { prune(at: now) }
        return started
    }

    /// The password was right: this name's failures from this address are forgotten (the
    /// address's and the name's other counts stay: one right guess among many is still many).
    public mutating func succeeded(name: String, address: String) {
        records[.pair(name: name, address: address)] = nil
    }

    /// How many keys are followed now (for a test of the memory bound, and a gauge).
    public var trackedCount: Int { records.count }

    /// Forgets what can no longer refuse anything, then the keys whose last failure is
    /// oldest, down to three quarters of `policy.tracked`: a sort now and then, not at every
    /// failure of a flood. A lock-out in force goes last.
    private mutating func prune(at now: Instant) {
        records = records.filter { _, record in
            if let until = record.lockedUntil, until > now { return true }
            return record.failures.last.map { $0.duration(to: now) < policy.window } ?? false
        }
        let target = policy.tracked * 3 / 4
        guard records.count > target else { return }
        func lastSign(_ record: Record) -> Instant {
            if let until = record.lockedUntil, until > now { return until }
            return record.failures.last ?? now
        }
        let oldestFirst = records.map { ($0.key, lastSign($0.value)) }.sorted { $0.1 < $1.1 }
        for (key, _) in oldestFirst.prefix(records.count - target) { records[key] = nil }
    }
}
