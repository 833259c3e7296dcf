import Foundation
import SmokeGateCore

/// Reads `answer:`: where phones reach the daemon's answer pages, the key that signs links,
/// how long a link works, and the secret path of SMS replies. A link that points nowhere, a
/// key short enough to guess, or a key others may read would each let a fire go unanswered
/// or be answered by someone else, so each is a problem.
enum AnswerSettingsLoader {
    static let shortestKey = 32
    static let validity: ClosedRange<Duration> = .seconds(60) ... .seconds(7 * 86_400)
    /// The SMS reply path is the only guard of its endpoint (the provider signs nothing).
    static let shortestReplyPath = 16

    /// `httpConfigured`: whether the main file has `http:` at all (a broken one is reported
    /// where it stands, not again here); `line`: the line of `answer:` itself.
    static func load(_ answer: YAMLMapping, line: Int?, httpConfigured: Bool, secrets: SecretFiles) -> AnswerSettings? {
        answer.rejectUnknownKeys(["base_url", "secret_file", "valid_for", "sms_reply_secret_file"])
        if !httpConfigured {
            answer.log.add(
                answer.file, line,
                "'answer' needs 'http.listen': answer links and SMS replies are served there, and would point nowhere")
        }
        let baseURL = answer.string("base_url", required: true).flatMap { checkedBaseURL($0, answer) }
        let key = secrets.bytes(answer, "secret_file", required: true)
        if let key, key.count < shortestKey {
            answer.log.add(
                answer.file, answer.lineOf("secret_file"),
                "'answer.secret_file' \(answer["secret_file"]?.string ?? ""): holds \(key.count) bytes, at least "
                    + "\(shortestKey) are needed (write one with: openssl rand -base64 48)")
        }
        var validFor: Duration = .seconds(86_400)
        if let given = answer.duration("valid_for") {
            if validity.contains(given) {
                validFor = given
            } else {
                answer.log.add(
                    answer.file, answer.lineOf("valid_for"),
                    "'answer.valid_for' must be from 1m to 7d, got '\(answer["valid_for"]?.string ?? "")'")
            }
        }
        let replyPath = secrets.text(answer, "sms_reply_secret_file")
        if let replyPath, !isReplyPath(replyPath) {
            answer.log.add(
                answer.file, answer.lineOf("sms_reply_secret_file"),
                "'answer.sms_reply_secret_file' \(answer["sms_reply_secret_file"]?.string ?? ""): must hold at least "
                    + "\(shortestReplyPath) letters, digits, '-' or '_' (the secret part of POST /answer/sms/…)")
        }
        guard let baseURL else { return nil }
        return AnswerSettings(baseURL: baseURL, key: key ?? [], validFor: validFor, smsReplyPath: replyPath)
    }

    /// The base without one trailing slash, or nil with the problem logged.
    private static func checkedBaseURL(_ text: String, _ answer: YAMLMapping) -> String? {
        let line = answer.lineOf("base_url")
        guard let address = WebAddress(text) else {
            let got = text.contains("@") ? "" : ", got '\(text)'"  // a user:password@ stays out of problems
            answer.log.add(answer.file, line, "'answer.base_url' must be an absolute http(s) URL with a host\(got)")
            return nil
        }
        let parts = address.components
        guard parts.user == nil, parts.password == nil else {
            // Not quoted: what stands before the '@' may be a password.
            answer.log.add(answer.file, line, "'answer.base_url' must not carry a user or a password")
            return nil
        }
        guard parts.query == nil, parts.fragment == nil else {
            answer.log.add(
                answer.file, line,
                "'answer.base_url' must not carry a query or a fragment (links are {base_url}/answer/{token}), got '\(text)'")
            return nil
        }
        if address.isPlainHTTPOffMachine {
            answer.log.warn(
                answer.file, line,
                "'answer.base_url' is plain http to '\(parts.host ?? "")', which is not loopback: links and answers "
                    + "travel unencrypted (put a TLS reverse proxy in front of http.listen)")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func isReplyPath(_ text: String) -> Bool {
        text.count >= shortestReplyPath
            && text.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
            }
    }
}
