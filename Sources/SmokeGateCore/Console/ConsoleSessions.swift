/// The console's logged-in sessions: a pure state machine, time passed in. A session is
/// found by the random token its cookie carries (made by the caller), lasts while it is used,
/// and ends at the latest when its role's shift does: a duty officer logs in again after
/// 12 hours, a wall screen after 30 days. An account removed, or given a new password or
/// role, loses its sessions at once (`endAll`).
public struct ConsoleSessions<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// One logged-in browser.
    public struct Session: Sendable, Equatable {
        public var name: String
        public var role: OperatorRole
        /// Sent back with every action, as a form field: a page of another site cannot
        /// know it, so it cannot act in the operator's name (CSRF).
        public var csrf: String
        public var openedAt: Instant
        public var lastUsed: Instant
    }

    /// How long sessions last.
    public struct Policy: Sendable {
        /// Unused this long, a session ends.
        public var idle: Duration = .seconds(2 * 3_600)
        /// A wall screen is looked at, not clicked: it keeps its session while it polls.
        public var viewerIdle: Duration = .seconds(24 * 3_600)
        /// At the latest, a duty session ends after a shift.
        public var dutyLifetime: Duration = .seconds(12 * 3_600)
        public var viewerLifetime: Duration = .seconds(30 * 86_400)
        /// Sessions one account may hold; opening one more ends its oldest.
        public var perAccount = 20

        public init() {}
    }

    public let policy: Policy
    private var sessions: [String: Session] = [:]

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Opens a session for `name` under `token` (random, from the caller) with `csrf`.
    public mutating func open(name: String, role: OperatorRole, token: String, csrf: String, at now: Instant) {
        sessions[token] = Session(name: name, role: role, csrf: csrf, openedAt: now, lastUsed: now)
        let own = sessions.filter { $0.value.name == name }.sorted { $0.value.openedAt < $1.value.openedAt }
        for (oldest, _) in own.prefix(max(0, own.count - policy.perAccount)) { sessions[oldest] = nil }
    }

    /// The session `token` names, if it is still open at `now` (it counts as used then), or
    /// nil (and it is forgotten).
    public mutating func use(_ token: String, at now: Instant) -> Session? {
        guard var session = sessions[token] else { return nil }
        guard isOpen(session, at: now) else {
            sessions[token] = nil
            return nil
        }
        session.lastUsed = now
        sessions[token] = session
        return session
    }

    private func isOpen(_ session: Session, at now: Instant) -> Bool {
        let viewer = session.role == .viewer
        return session.lastUsed.duration(to: now) < (viewer ? policy.viewerIdle : policy.idle)
            && session.openedAt.duration(to: now) < (viewer ? policy.viewerLifetime : policy.dutyLifetime)
    }

    /// Logs one browser out.
    public mutating func end(_ token: String) {
        sessions[token] = nil
    }

    /// Ends every session of `name`: the account was removed, or its password or role changed.
    /// Returns how many ended.
    @discardableResult
    public mutating func endAll(of name: String) -> Int {
        let before = sessions.count
        sessions = sessions.filter { $0.value.name != name }
        return before - sessions.count
    }

    /// Forgets sessions that can no longer be used (now and then, not on each request).
    public mutating func expire(at now: Instant) {
        sessions = sessions.filter { isOpen($0.value, at: now) }
    }

    public var count: Int { sessions.count }

    /// Whether `given` is `expected`, in time that does not depend on where they differ.
    public static func sameToken(_ given: String, _ expected: String) -> Bool {
        let given = Array(given.utf8)
        let expected = Array(expected.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
