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
