import Foundation

/// Markdown as a phone shows it: headings and bold marks gone, a link as its words followed
/// by where it goes, empty lines dropped.
enum PhoneText {
    static func fromMarkdown(_ markdown: String) -> String {
        var lines: [String] = []
        for raw in markdown.components(separatedBy: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            while line.hasPrefix("#") { line.removeFirst() }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("> ") { line.removeFirst(2) }
            line = line.replacingOccurrences(of: "**", with: "")
            line = tags.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "")
            line = links.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "$1 <$2>")
            if !line.isEmpty { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// The answer link among a markdown text's links: the one whose words say 查看, else the first.
    static func link(in markdown: String) -> String? {
        let range = NSRange(markdown.startIndex..., in: markdown)
        let found = links.matches(in: markdown, range: range).compactMap { match -> (String, String)? in
            guard let words = Range(match.range(at: 1), in: markdown), let url = Range(match.range(at: 2), in: markdown)
            else { return nil }
            return (String(markdown[words]), String(markdown[url]))
        }
        return (found.first { $0.0.contains("查看") } ?? found.first)?.1
    }

    /// `${name}` in a template replaced by its value; nil names a variable with no value.
    static func fill(_ template: String, _ values: [String: String]) -> (text: String, missing: String?) {
        var text = template
        var missing: String?
        let range = NSRange(template.startIndex..., in: template)
        for match in variables.matches(in: template, range: range).reversed() {
            guard let whole = Range(match.range, in: text), let nameRange = Range(match.range(at: 1), in: template) else {
                continue
            }
            let name = String(template[nameRange])
            guard let value = values[name] else {
                missing = name
                continue
            }
            text.replaceSubrange(whole, with: value)
        }
        return (text, missing)
    }

    // The patterns are constant and valid.
    private static let links = try! NSRegularExpression(pattern: #"\[([^\]]*)\]\(([^)\s]+)\)"#)
    private static let tags = try! NSRegularExpression(pattern: #"</?font[^>]*>"#)
    private static let variables = try! NSRegularExpression(pattern: #"\$\{([A-Za-z0-9_]+)\}"#)
}
