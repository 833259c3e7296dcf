/// One thing wrong with the configuration, located as precisely as the file allows.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the operator named it (or as resolved against the main file's folder).
    public var file: String
    /// 1-based line, where known.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form editors and CI logs link.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    /// `file:line: warning: message`: accepted, but worth the operator's look.
    public var warningDescription: String {
        if let line { return "\(file):\(line): warning: \(message)" }
        return "\(file): warning: \(message)"
    }
}

/// Every problem found in one pass over the configuration: operators fix them all at once.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems while a loader keeps going past each one, and warnings: what loads but
/// deserves a look (plain http to a host that is not loopback).
final class ProblemLog {
    private(set) var problems: [ConfigurationProblem] = []
    private(set) var warnings: [ConfigurationProblem] = []

    func add(_ file: String, _ line: Int?, _ message: String) {
        problems.append(ConfigurationProblem(file: file, line: line, message: message))
    }

    func warn(_ file: String, _ line: Int?, _ message: String) {
        warnings.append(ConfigurationProblem(file: file, line: line, message: message))
    }
}
