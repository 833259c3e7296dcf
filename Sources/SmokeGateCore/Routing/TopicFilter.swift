/// An MQTT topic filter (`smokegate/detectors/+/event`, `zigbee2mqtt/#`) that matches
/// topics and hands back the level its first wildcard stood for: the device's name.
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    enum Level: Sendable, Hashable {
        case literal(Substring)
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
                levels.append(.literal(part))
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
    public func match(_ topic: String) -> Substring? {
        let utf8 = topic.utf8
        var captured: Range<String.Index>?
        var position = utf8.startIndex
        for (levelIndex, level) in levels.enumerated() {
            if case .multi = level {
                // `a/#` also matches `a` itself, but then names no device.
                if let captured { return topic[captured] }
                return topic[position..<utf8.endIndex]
            }
            let slash = utf8[position...].firstIndex(of: UInt8(ascii: "/"))
            let end = slash ?? utf8.endIndex
            switch level {
            case .literal(let literal):
                guard utf8[position..<end].elementsEqual(literal.utf8) else { return nil }
            case .single:
                // Topics starting with '$' are not matched by wildcards at the first level.
                if levelIndex == 0, position < end, utf8[position] == UInt8(ascii: "$") { return nil }
                if captured == nil { captured = position..<end }
            case .multi: break
            }
            let isLast = levelIndex == levels.count - 1
            if isLast {
                guard slash == nil else { return nil }
                return captured.map { topic[$0] } ?? ""
            }
            guard let slash else {
                // The topic ran out; only a trailing `#` could still match it.
                if levelIndex == levels.count - 2, case .multi = levels[levelIndex + 1] {
                    return captured.map { topic[$0] } ?? ""
                }
                return nil
            }
            position = utf8.index(after: slash)
        }
        return nil
    }
}

/// A subscription filter that MQTT would refuse.
public struct InvalidTopicFilter: Error, Sendable, CustomStringConvertible {
    public let filter: String
    public let reason: String
    public var description: String { "topic filter '\(filter)' is invalid: \(reason)" }
}
