import Foundation
import GRDB

/// Another connection takes SQLite's write lock on the database at `path` (`BEGIN EXCLUSIVE`)
/// and holds it for `seconds`, on a thread of its own (see `onOwnThread`): a database held by
/// another process, as an operator's backup or a second writer does. The task ends when the
/// lock is released.
public func holdWriteLock(on path: String, for seconds: TimeInterval) -> Task<Void, any Error> {
    Task {
        try await onOwnThread {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                Thread.sleep(forTimeInterval: seconds)
                try db.execute(sql: "COMMIT")
            }
        }
    }
}
