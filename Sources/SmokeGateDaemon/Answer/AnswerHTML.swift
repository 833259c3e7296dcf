import Foundation

/// The frame every answer page shares: escaping, times, the document and its one style.
enum AnswerHTML {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A time as people on the street read it: month, day and time of the gateway's zone.
    static func time(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func document(title: String, nonce: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1">
        <meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
        <title>\(escape(title))</title>
        <style nonce="\(nonce)">\(style)</style></head>
        <body>
        \(body)</body></html>

        """
    }

    /// A page that only says something: a refused link, a missing incident.
    static func message(title: String, text: String, nonce: String) -> String {
        document(
            title: title, nonce: nonce,
            body: "<header class=\"job\"><h1>\(escape(title))</h1></header>\n<section><p>\(escape(text))</p></section>\n")
    }

    static let style = """
        body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:40em;\
        padding:0 0 2em;color:#222;background:#f6f6f6}header{padding:1em;color:#fff;background:#555}\
        header.fire{background:#c62828}h1{margin:0;font-size:1.6em}header p{margin:.2em 0 0}\
        section{background:#fff;margin:.6em;padding:.6em 1em;border-radius:6px}h2{font-size:1.1em;margin:.2em 0}\
        dl{display:grid;grid-template-columns:auto 1fr;gap:.2em .8em;margin:0}dt{color:#666}dd{margin:0}\
        ul,ol{padding-left:1.2em;margin:.2em 0}small{color:#555}time{color:#666}\
        form{margin:.8em 0;display:grid;gap:.5em}label{display:grid;gap:.2em}\
        input,select{font:inherit;padding:.5em;border:1px solid #aaa;border-radius:4px}\
        button{font:inherit;font-size:1.2em;padding:.7em;border:0;border-radius:6px;color:#fff;background:#2e7d32}\
        form.resolve button{background:#1565c0}.notice{margin:.6em;padding:.8em 1em;border-radius:6px}\
        .notice.done{background:#e8f5e9}.notice.refused{background:#fff3e0}.notice p{margin:.3em 0 0}\
        footer{margin:.6em 1em;color:#666;font-size:.9em}
        """
}
