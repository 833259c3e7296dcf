/// Who copies a SQLite store's write-ahead log back into its database file.
public enum WALCheckpoints: Sendable, Equatable {
    /// SQLite's own rule: the commit that takes the log past 1,000 pages copies it back before
    /// it returns. Right for the CLI and tools, whose few commits nobody waits on.
    case byCommits
    /// A connection of the store's own copies the log back every `interval` (on the monotonic
    /// clock), off the writers' path: the daemon's, where the commit that crosses SQLite's
    /// threshold is as likely an alarm's as a heartbeat batch's. Writers still copy it back
    /// themselves past `writersAfterPages` (about 40 MiB by default): a bound on the log should
    /// the background copy stall.
    case inBackground(every: Duration, writersAfterPages: Int = 10_000)

    /// The daemon's: twice a second, which keeps the log to a few MiB under 10,000 heartbeats
    /// a second.
    public static let daemon = WALCheckpoints.inBackground(every: .milliseconds(500))
}
