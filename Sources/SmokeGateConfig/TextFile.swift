import Foundation

/// Reads a configuration file as UTF-8 text, logging why it cannot.
enum TextFile {
    static func read(_ path: String, displayName: String, log: ProblemLog) -> String? {
        guard let data = contents(path, displayName: displayName, log: log) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else {
            log.add(displayName, nil, "is not UTF-8 text")
            return nil
        }
        return text
    }

    /// The file's bytes, for readers that check the encoding themselves (line by line).
    static func contents(_ path: String, displayName: String, log: ProblemLog) -> Data? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            log.add(displayName, nil, "file not found")
            return nil
        }
        guard !isDirectory.boolValue else {
            log.add(displayName, nil, "is a directory, not a file")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            log.add(displayName, nil, "cannot be read (check its permissions)")
            return nil
        }
        return data
    }

    /// `path` made absolute against `folder` when it is relative.
    static func resolve(_ path: String, against folder: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
    }
}
