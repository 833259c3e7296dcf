import Foundation

extension GatewayConfiguration {
    /// Reads `operators:`, the web console's accounts file. The file may not exist yet: its
    /// first account is added with `smokegate operator add` after the configuration names
    /// it. The accounts are read only with `readingAccounts` (the daemon), since they hold
    /// password hashes.
    ///
    /// A broken or unreadable accounts file is a warning, each of its problems on its line,
    /// and then no account is used (nobody can log in): the file concerns the console alone,
    /// and a daemon that refused to start over it would leave every fire uncalled.
    mutating func readOperators(_ root: YAMLMapping, folder: String, readingAccounts: Bool) {
        guard let name = root.string("operators") else { return }
        guard !name.isEmpty else {
            root.log.add(root.file, root.lineOf("operators"), "'operators' must name a file")
            return
        }
        let path = TextFile.resolve(name, against: folder)
        operatorsFile = path
        guard readingAccounts, FileManager.default.fileExists(atPath: path) else { return }
        let accountsLog = ProblemLog()
        let accounts = OperatorsFile.load(path, displayName: display(name), log: accountsLog)
        guard accountsLog.problems.isEmpty else {
            for problem in accountsLog.problems {
                root.log.warn(problem.file, problem.line, problem.message + " (no console account is used until it is fixed)")
            }
            return
        }
        operators = accounts
    }
}
