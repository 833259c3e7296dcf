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
