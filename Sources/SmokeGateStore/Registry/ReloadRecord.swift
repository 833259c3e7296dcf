import Foundation
import GRDB

/// How the daemon's last reload went, for `smokegate status`: a reload that failed leaves the
/// daemon on its old configuration, and the operator must see that, not only the journal.
public struct ReloadRecord: Sendable, Equatable {
    public var at: Date
    /// The daemon that reloaded.
    public var pid: Int
    /// What changed and what waits for a restart, in one line.
    public var summary: String
    /// Every problem that refused the new configuration; empty when it took.
    public var problems: [String]

    public init(at: Date, pid: Int, summary: String, problems: [String]) {
        self.at = at
        self.pid = pid
        self.summary = summary
        self.problems = problems
    }

    public var succeeded: Bool { problems.isEmpty }
}
