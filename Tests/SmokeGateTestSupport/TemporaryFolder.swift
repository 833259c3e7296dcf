import Foundation

/// Fresh folders for one test's files (database, configuration, broker state).
public enum TemporaryFolder {
    public static func make(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("smokegate-tests")
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes: bounded waits only.
/// Suspends between polls, so a daemon running in the same process keeps its threads.
public func eventually(timeout: TimeInterval = 20, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    } while Date() < deadline
    return try condition()
}
