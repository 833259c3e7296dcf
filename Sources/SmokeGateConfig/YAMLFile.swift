import Yams

/// Reads a YAML file into its root mapping, logging unreadable files and syntax errors.
enum YAMLFile {
    static func root(of file: String, displayName: String, log: ProblemLog) -> YAMLMapping? {
        guard let text = TextFile.read(file, displayName: displayName, log: log) else { return nil }
        do {
            // The basic resolver: every plain scalar is a string, and the loaders parse numbers,
            // durations and booleans themselves. The default one matches each scalar against
            // regular expressions, which dominated loading a city-sized response chain.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                log.add(displayName, nil, "the file is empty")
                return nil
            }
            return YAMLMapping(node, file: displayName, path: "", log: log)
        } catch let error as YamlError {
            log.add(displayName, error.line, "not valid YAML: \(error.summary)")
        } catch {
            log.add(displayName, nil, "not valid YAML: \(error)")
        }
        return nil
    }
}
