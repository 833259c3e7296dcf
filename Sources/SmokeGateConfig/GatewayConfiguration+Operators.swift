import Foundation

extension GatewayConfiguration {
    /// Reads `operators:`, the web console's accounts file. The file may not exist yet: its
    /// first account is added with `smokegate operator add` after the configuration names
    /// it. The accounts are read only with `readingAccounts` (the daemon), since they hold
    /// password hashes; a hand-edited file's problems are reported with the rest.
    mutating func readOperators(_ root: YAMLMapping, folder: String, readingAccounts: Bool) {
        guard let name = root.string("operators") else { return }
        guard !name.isEmpty else {
            root.log.add(root.file, root.lineOf("operators"), "'operators' must name a file")
            return
        }
        let path = TextFile.resolve(name, against: folder)
        operatorsFile = path
        guard readingAccounts, FileManager.default.fileExists(atPath: path) else { return }
        operators = OperatorsFile.load(path, displayName: display(name), log: root.log)
    }
}
