/// An MQTT topic filter (`smokegate/detectors/+/event`, `zigbee2mqtt/#`) that matches
/// topics and hands back the level its first wildcard stood for: the device's name.
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    enum Level: Sendable, Hashable {
        /// A level that must equal these UTF-8 bytes.
        case literal([UInt8])
        case single
        case multi
    }

    public let text: String
    let levels: [Level]

    /// Parses `text`, or explains why it is not a valid subscription filter.
    public init(_ text: String) throws(InvalidTopicFilter) {
        guard !text.isEmpty else { throw InvalidTopicFilter(filter: text, reason: "it is empty") }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        var levels: [Level] = []
        for (position, part) in parts.enumerated() {
            switch part {
            case "+": levels.append(.single)
            case "#":
                guard position == parts.count - 1 else {
                    throw InvalidTopicFilter(filter: text, reason: "'#' may only be the last level")
                }
                levels.append(.multi)
            default:
                guard !part.contains("+"), !part.contains("#") else {
                    throw InvalidTopicFilter(filter: text, reason: "a wildcard must fill a whole level")
                }
                levels.append(.literal(Array(part.utf8)))
            }
        }
        self.text = text
        self.levels = levels
    }

    public var description: String { text }

    /// Whether the filter has a wildcard that can name a device.
    public var hasWildcard: Bool {
        levels.contains {
            if case .literal = $0 { return false }
            return true
        }
    }

    /// The topic's match: nil if the topic is not covered; otherwise the text of the first
    /// wildcard's level(s), or the empty string for a filter without wildcards.
    ///
    /// Works on the topic's UTF-8 bytes: it runs once per message on the ingest path.
    public func match(_ topic: String) -> String? {
        var topic = topic
        return topic.withUTF8 { bytes in
            guard let range = match(bytes) else { return nil }
            return range.isEmpty ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }

    /// The byte range of the captured device within `bytes`, empty when the filter names
    /// none; nil when the topic is not covered.
    func match(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var captured: Range<Int>?
        var position = 0
        for (levelIndex, level) in levels.enumerated() {
            if case .multi = level {
                // `a/#` also matches `a` itself, but then names no device.
                return captured ?? position..<bytes.count
            }
            var end = position
            while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
            let hasSlash = end < bytes.count
            switch level {
            case .literal(let literal):
                guard end - position == literal.count else { return nil }
                for offset in 0..<literal.count where bytes[position + offset] != literal[offset] { return nil }
            case .single:
                // Topics starting with '$' are not matched by wildcards at the first level.
                if levelIndex == 0, position < end, bytes[position] == UInt8(ascii: "$") { return nil }
                if captured == nil { captured = position..<end }
            case .multi: break
            }
            if levelIndex == levels.count - 1 {
                return hasSlash ? nil : (captured ?? 0..<0)
            }
            guard hasSlash else {
                // The topic ran out; only a trailing `#` could still match it.
                if levelIndex == levels.count - 2, case .multi = levels[levelIndex + 1] { return captured ?? 0..<0 }
                return nil
            }
            position = end + 1
        }
        return nil
    }
}
