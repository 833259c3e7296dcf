import CSystemd
import Foundation
import Logging

/// Under systemd, with standard error connected to the journal, log entries go to journald
/// as structured entries: `PRIORITY` from the level, `MESSAGE`, the logger's metadata as
/// fields of their own (`device` → `DEVICE=`), and the source location, so that
/// `journalctl -u smokegated -p warning` or `journalctl DEVICE=YQ-000003` find them.
/// Anywhere else `StreamLogHandler` prints readable lines.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Whether `JOURNAL_STREAM` (set by systemd to the journal stream's `device:inode`) names
    /// the stream standard error is connected to. A child process that inherited the variable
    /// but writes elsewhere does not match, as systemd's documentation asks.
    public static func standardErrorIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return stream == "\(status.st_dev):\(status.st_ino)"
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        let fields = Self.fields(
            label: label, level: event.level, message: "\(event.message)", metadata: merged, file: event.file,
            function: event.function, line: event.line)
        if !Self.send(fields) {
            // journald is gone (restarting, or never there): say it on standard error instead.
            let text = fields[0].dropFirst("MESSAGE=".count)
            FileHandle.standardError.write(Data("\(event.level) \(label): \(text)\n".utf8))
        }
    }

    /// The journal entry's `FIELD=value` strings. Field names are upper case letters, digits
    /// and underscores, not starting with an underscore (journald's rule); a metadata key is
    /// mapped into that alphabet. `MESSAGE` also carries the metadata, for plain `journalctl`.
    static func fields(
        label: String, level: Logger.Level, message: String, metadata: Logger.Metadata, file: String, function: String,
        line: UInt
    ) -> [String] {
        let sorted = metadata.sorted { $0.key < $1.key }
        let suffix = sorted.isEmpty ? "" : " " + sorted.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var fields = [
            "MESSAGE=\(message)\(suffix)", "PRIORITY=\(priority(level))", "SYSLOG_IDENTIFIER=smokegated",
            "SMOKEGATE_LOGGER=\(label)", "SMOKEGATE_LEVEL=\(level)", "CODE_FILE=\(file)", "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        for (key, value) in sorted {
            fields.append("\(fieldName(key))=\(value)")
        }
        return fields
    }

    /// syslog priorities: trace and debug are 7, critical is 2 (`crit`).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `device` → `DEVICE`, `hb.request-id` → `HB_REQUEST_ID`, `1x` → `X_1X`; names journald
    /// keeps for itself (`MESSAGE`, `PRIORITY`, `CODE_*`…) get an `M_` prefix.
    static func fieldName(_ key: String) -> String {
        var name = String(
            key.uppercased().unicodeScalars.map { scalar -> Character in
                (scalar.isASCII
                    && (CharacterSet.uppercaseLetters.contains(scalar) || CharacterSet.decimalDigits.contains(scalar)))
                    ? Character(scalar) : "_"
            })
        if name.first.map({ $0 == "_" || $0.isNumber }) ?? true { name = "X_" + name }
        let reserved = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "SMOKEGATE_LOGGER"]
        if reserved.contains(name) || name.hasPrefix("SYSLOG_") { name = "M_" + name }
        return String(name.prefix(64))
    }

    /// One `sd_journal_sendv` call over one buffer holding every field; false if journald
    /// did not take it.
    private static func send(_ fields: [String]) -> Bool {
        let bytes = fields.flatMap(\.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var vectors = [iovec]()
            vectors.reserveCapacity(fields.count)
            var offset = 0
            for field in fields {
                let length = field.utf8.count
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base + offset), iov_len: length))
                offset += length
            }
            return sd_journal_sendv(vectors, Int32(vectors.count)) >= 0
        }
    }
}
