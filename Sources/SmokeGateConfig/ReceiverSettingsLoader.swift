import Foundation
import SmokeGateCore

/// Reads `receivers:` in the main file: one entry per vendor account, with the keys its kind
/// takes, its secrets read from files, and every misfit logged with its line.
enum ReceiverSettingsLoader {
    static let commonKeys: Set<String> = ["name", "type", "timeout", "pace"]
    static let longestTimeout: Duration = .seconds(60)

    /// The keys an entry of `kind` may carry besides the common ones.
    static func keys(for kind: ReceiverKind) -> Set<String> {
        switch kind {
        case .wecom: ["url", "url_file"]
        case .dingtalk, .feishu, .webhook: ["url", "url_file", "secret_file"]
        case .aliyunSMS: ["endpoint", "access_key_id", "access_key_secret_file", "sign_name", "template_code"]
        case .aliyunVoice: ["endpoint", "access_key_id", "access_key_secret_file", "tts_code", "called_show_number"]
        }
    }

    static func load(_ root: YAMLMapping, secrets: SecretFiles) -> (settings: [ReceiverSettings], declared: DeclaredReceivers) {
        var settings: [ReceiverSettings] = []
        var declared = DeclaredReceivers()
        var firstLines: [String: Int?] = [:]
        for (position, node) in root.sequence("receivers").enumerated() {
            guard let entry = YAMLMapping(node, file: root.file, path: "receivers[\(position)]", log: root.log) else {
                continue
            }
            let name = entry.string("name", required: true)
            let typeName = entry.string("type", required: true)
            let kind = typeName.flatMap(ReceiverKind.init(rawValue:))
            if let typeName, kind == nil {
                let known = ReceiverKind.allCases.map(\.rawValue).joined(separator: ", ")
                entry.log.add(
                    entry.file, entry.lineOf("type"),
                    "'\(entry.name("type"))' '\(typeName)' is not a known receiver type (\(known))")
            }
            let allowed = kind.map(keys(for:)) ?? ReceiverKind.allCases.reduce(into: Set()) { $0.formUnion(keys(for: $1)) }
            entry.rejectUnknownKeys(commonKeys.union(allowed))
            if let name {
                if let first = firstLines[name] {
                    entry.log.add(
                        entry.file, entry.lineOf("name"),
                        "duplicate receiver name '\(name)'" + (first.map { " (first on line \($0))" } ?? ""))
                } else {
                    firstLines[name] = entry.lineOf("name")
                }
                declared.names.insert(name)
            }
            var receiver = ReceiverSettings(name: name ?? "", kind: kind ?? .webhook, url: "")
            readTiming(entry, into: &receiver)
            guard let kind else { continue }
            switch kind {
            case .wecom, .dingtalk, .feishu, .webhook: readHook(entry, kind: kind, secrets: secrets, into: &receiver)
            case .aliyunSMS, .aliyunVoice: readAliyun(entry, kind: kind, secrets: secrets, into: &receiver)
            }
            guard let name else { continue }
            if declared.kinds[name] == nil { declared.kinds[name] = kind }
            settings.append(receiver)
        }
        return (settings, declared)
    }

    /// `timeout` and `pace`, which every kind takes.
    private static func readTiming(_ entry: YAMLMapping, into receiver: inout ReceiverSettings) {
        if let timeout = entry.duration("timeout") {
            if timeout <= .zero || timeout > longestTimeout {
                entry.log.add(
                    entry.file, entry.lineOf("timeout"),
                    "'\(entry.name("timeout"))' must be longer than 0s and at most 60s, got '\(entry["timeout"]?.string ?? "")'")
            } else {
                receiver.timeout = timeout
            }
        }
        guard let pace = entry.mappingValue("pace") else { return }
        pace.rejectUnknownKeys(["count", "window"])
        let count = pace.integer("count", in: 1...100_000, required: true)
        var window = pace.duration("window", required: true)
        if let given = window, given <= .zero {
            pace.log.add(pace.file, pace.lineOf("window"), "'\(pace.name("window"))' must be longer than 0s")
            window = nil
        }
        if let count, let window { receiver.pace = (count, window.secondsValue) }
    }

    /// A robot's or a webhook's hook: `url` or `url_file` (exactly one), and its signing secret.
    private static func readHook(
        _ entry: YAMLMapping, kind: ReceiverKind, secrets: SecretFiles, into receiver: inout ReceiverSettings
    ) {
        switch (entry["url"] != nil, entry["url_file"] != nil) {
        case (true, true):
            entry.log.add(entry.file, entry.line, "'\(entry.path)' takes 'url' or 'url_file', not both")
        case (false, false):
            entry.log.add(entry.file, entry.line, "'\(entry.path)' needs 'url' or 'url_file' (where its calls are posted)")
        case (true, false):
            if let url = entry.string("url", required: true) {
                receiver.url = checkedURL(url, entry, "url", shown: "'\(entry.name("url"))'")
            }
        case (false, true):
            if let url = secrets.text(entry, "url_file", required: true) {
                let shown = "'\(entry.name("url_file"))' \(entry["url_file"]?.string ?? ""):"
                receiver.url = checkedURL(url, entry, "url_file", shown: shown)
            }
        }
        guard kind != .wecom else { return }
        receiver.secret = secrets.text(entry, "secret_file", required: kind == .webhook)
        if kind == .webhook, let secret = receiver.secret, !isWebhookSecret(secret) {
            entry.log.add(
                entry.file, entry.lineOf("secret_file"),
                "'\(entry.name("secret_file"))' \(entry["secret_file"]?.string ?? ""): not a Standard Webhooks secret"
                    + " (whsec_ followed by base64)")
        }
    }

    /// An Aliyun account: the API endpoint, the AccessKey, and the text's or call's template.
    private static func readAliyun(
        _ entry: YAMLMapping, kind: ReceiverKind, secrets: SecretFiles, into receiver: inout ReceiverSettings
    ) {
        if let endpoint = entry.string("endpoint", required: true) {
            receiver.url = checkedURL(endpoint, entry, "endpoint", shown: "'\(entry.name("endpoint"))'")
        }
        receiver.accessKeyID = entry.string("access_key_id", required: true)
        receiver.secret = secrets.text(entry, "access_key_secret_file", required: true)
        if kind == .aliyunSMS {
            receiver.signName = entry.string("sign_name", required: true)
            receiver.templateCode = entry.string("template_code", required: true)
        } else {
            receiver.templateCode = entry.string("tts_code", required: true)
            receiver.calledShowNumber = entry.string("called_show_number")
        }
    }

    /// The URL if it is http(s) with a host; never quoted in a problem, since a robot's URL
    /// holds its key.
    private static func checkedURL(_ text: String, _ entry: YAMLMapping, _ key: String, shown: String) -> String {
        guard let address = WebAddress(text) else {
            entry.log.add(entry.file, entry.lineOf(key), "\(shown) is not an http(s) URL with a host")
            return text
        }
        if address.isPlainHTTPOffMachine {
            entry.log.warn(
                entry.file, entry.lineOf(key),
                "\(shown) is plain http to a host that is not loopback: calls (and any key in the URL) travel unencrypted")
        }
        return text
    }

    /// `whsec_` and the base64 of the key, as Standard Webhooks writes its secrets.
    static func isWebhookSecret(_ secret: String) -> Bool {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else { return false }
        return !key.isEmpty
    }
}
