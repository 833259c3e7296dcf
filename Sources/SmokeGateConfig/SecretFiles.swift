import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads secrets from their own files (a robot's URL, a signing key, an AccessKey secret), as
/// sshd reads a private key: a file group or others may open is refused. A problem names the
/// key and the file, never a byte of what it holds, because problems reach the journal and
/// `smokegate status`.
struct SecretFiles {
    /// The main file's folder: relative paths resolve against it.
    let folder: String
    /// False where only names and kinds are needed (the operator's console, which runs as an
    /// account that may not read the daemon's secrets): nothing is opened and nothing logged.
    let reading: Bool

    /// The largest secret file read: a key or a URL is a line, not a document.
    static let largest = 65_536

    /// The file's bytes with surrounding ASCII white space trimmed, or nil: the key is absent
    /// (a problem where `required`), the file is unfit (each problem logged), or not reading.
    func bytes(_ entry: YAMLMapping, _ key: String, required: Bool = false) -> [UInt8]? {
        guard let bytes = untrimmed(entry, key, required: required) else { return nil }
        let trimmed = Self.trimmed(bytes)
        guard !trimmed.isEmpty else {
            entry.log.add(entry.file, entry.lineOf(key), "'\(entry.name(key))' \(entry[key]?.string ?? ""): is empty")
            return nil
        }
        return trimmed
    }

    /// The file's bytes as they are, after the same checks (mode, type, size) as `bytes`: for a
    /// secret in which white space counts (a database password).
    func untrimmed(_ entry: YAMLMapping, _ key: String, required: Bool = false) -> [UInt8]? {
        guard let name = entry.string(key, required: required) else { return nil }
        guard reading else { return nil }
        let path = TextFile.resolve(name, against: folder)
        let line = entry.lineOf(key)
        func problem(_ text: String) { entry.log.add(entry.file, line, "'\(entry.name(key))' \(name): \(text)") }
        var status = stat()
        guard stat(path, &status) == 0 else {
            problem(errno == EACCES ? "cannot be read (check its owner and permissions)" : "file not found")
            return nil
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            problem(status.st_mode & S_IFMT == S_IFDIR ? "is a directory, not a file" : "is not a regular file")
            return nil
        }
        let mode = status.st_mode & 0o777
        if mode & 0o077 != 0 {
            problem(
                "group or others may open it (mode \(String(format: "%04o", Int(mode)))): chmod 600 \(path)"
                    + " (owned by the account smokegated runs as)")
        }
        guard status.st_size <= Self.largest else {
            problem("is larger than \(Self.largest / 1_024) KiB: not a secret of one line")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            problem("cannot be read (check its owner and permissions)")
            return nil
        }
        return Array(data)
    }

    /// The file as one line of UTF-8 text, trimmed: URLs and keys are read into headers and
    /// query strings, where a line break or a control character would be an injection.
    func text(_ entry: YAMLMapping, _ key: String, required: Bool = false) -> String? {
        guard let bytes = bytes(entry, key, required: required) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            entry.log.add(entry.file, entry.lineOf(key), "'\(entry.name(key))' \(entry[key]?.string ?? ""): is not UTF-8 text")
            return nil
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            entry.log.add(
                entry.file, entry.lineOf(key),
                "'\(entry.name(key))' \(entry[key]?.string ?? ""): must hold one line, without control characters")
            return nil
        }
        return text
    }

    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(bytes[first...last])
    }
}
