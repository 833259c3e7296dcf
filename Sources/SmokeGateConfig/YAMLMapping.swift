import SmokeGateCore
import Yams

/// A YAML mapping read key by key, every misfit logged with its file and line rather than
/// thrown, so that one run reports every problem.
struct YAMLMapping {
    let mapping: Node.Mapping
    let file: String
    /// Dotted path of this mapping inside its document, for messages (`broker.tls`).
    let path: String
    let line: Int?
    let log: ProblemLog

    /// Wraps `node` if it is a mapping, logging a problem otherwise.
    init?(_ node: Node?, file: String, path: String, log: ProblemLog, fallbackLine: Int? = nil) {
        guard let node else { return nil }
        guard case .mapping(let mapping) = node else {
            log.add(file, node.mark?.line ?? fallbackLine, "\(path.isEmpty ? "the document" : path) must be a mapping")
            return nil
        }
        self.mapping = mapping
        self.file = file
        self.path = path
        self.line = node.mark?.line
        self.log = log
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    subscript(key: String) -> Node? { mapping[key] }

    func lineOf(_ key: String) -> Int? { mapping[key]?.mark?.line ?? line }

    /// The line of `key` itself: for a block mapping under it, `lineOf` gives its first key's.
    func keyLine(_ key: String) -> Int? {
        for (name, _) in mapping where name.string == key { return name.mark?.line ?? line }
        return line
    }

    /// Logs keys that are not in `known`: a misspelt key would otherwise be silently ignored.
    func rejectUnknownKeys(_ known: Set<String>) {
        for (key, _) in mapping {
            guard let text = key.string else { continue }
            if !known.contains(text) {
                let hint = known.sorted().joined(separator: ", ")
                log.add(file, key.mark?.line, "unknown key '\(name(text))' (expected one of: \(hint))")
            }
        }
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let node = mapping[key] else {
            if required { log.add(file, line, "'\(name(key))' is required") }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            log.add(file, node.mark?.line, "'\(name(key))' must be a single value")
            return nil
        }
        if scalar.string.isEmpty, required {
            log.add(file, node.mark?.line, "'\(name(key))' must not be empty")
            return nil
        }
        return scalar.string
    }

    func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let text = string(key, required: required) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            log.add(
                file, lineOf(key),
                "'\(name(key))' must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            return nil
        }
        return value
    }

    func duration(_ key: String, required: Bool = false) -> Duration? {
        guard let text = string(key, required: required) else { return nil }
        guard let duration = DurationText.parse(text) else {
            log.add(file, lineOf(key), "'\(name(key))' is not a duration: '\(text)' (write 250ms, 15s, 3m, 2h or 1d)")
            return nil
        }
        // Every configured duration is added to dates and slept on: a century is the most any may be.
        guard duration <= DurationText.longest else {
            log.add(
                file, lineOf(key),
                "'\(name(key))' is too long: '\(text)' (at most \(DurationText.longestText), a century)")
            return nil
        }
        return duration
    }

    func mappingValue(_ key: String, required: Bool = false) -> YAMLMapping? {
        guard let node = mapping[key] else {
            if required { log.add(file, line, "'\(name(key))' is required") }
            return nil
        }
        return YAMLMapping(node, file: file, path: name(key), log: log, fallbackLine: line)
    }

    /// The elements of a sequence under `key` (an empty list where it is absent and optional).
    func sequence(_ key: String, required: Bool = false) -> [Node] {
        guard let node = mapping[key] else {
            if required { log.add(file, line, "'\(name(key))' is required") }
            return []
        }
        guard case .sequence(let sequence) = node else {
            log.add(file, node.mark?.line, "'\(name(key))' must be a list")
            return []
        }
        return Array(sequence)
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    var summary: String {
        switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        default: "\(self)".split(separator: "\n").first.map(String.init) ?? "\(self)"
        }
    }
}
