import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateStore
import SmokeGateTestSupport

/// The daemon in-process with `http.listen` and `answer:` set (until the configuration file
/// carries `answer:`, it is set on the loaded configuration), a responder subscribed to every
/// call, and links made as the delivery service makes them.
struct AnswerRig {
    let harness: DaemonHarness
    let port: Int
    let key: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
    static let smsPath = "sms-7f3c9a41d2e8b605"

    init(escalation: String = "{ grid: 0s, community: 1s, street: 6s }", answers: Bool = true) throws {
        port = try FreePort.find()
        harness = try DaemonHarness(escalation: escalation, extra: "http:\n  listen: 127.0.0.1:\(port)")
        if answers {
            harness.configuration.answer = AnswerSettings(
                baseURL: "http://127.0.0.1:\(port)", key: key, validFor: .seconds(3_600), smsReplyPath: Self.smsPath)
        }
    }

    /// The path of a link to incident `incident` for `unit` of `tier` (and `contact`), valid
    /// for `validFor` seconds from now (negative: expired that long ago).
    func link(
        incident: Int64 = 1, tier: Tier = .grid, unit: String = "yq-c01-g01", contact: String? = nil,
        validFor: TimeInterval = 3_600
    ) -> String {
        let claim = AnswerLink.Claim(
            incident: incident, tier: tier, unit: unit, contact: contact,
            expires: Int64(Date().timeIntervalSince1970 + validFor))
        let url = AnswerLink.url(baseURL: "http://127.0.0.1:\(port)", claim: claim, key: key)
        return String(url.dropFirst("http://127.0.0.1:\(port)".count))
    }

    func get(_ path: String) -> HTTPProbe.Response? { HTTPProbe.get(path, port: port) }

    func post(_ path: String, _ form: String, contentType: String = "application/x-www-form-urlencoded") -> HTTPProbe.Response? {
        HTTPProbe.post(path, body: form, contentType: contentType, port: port)
    }

    /// det-1 alarms: fire incident 1 at 北湖小区3栋, the grid called at once.
    func alarm(_ publisher: TestPublisher) async throws {
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
    }

    /// Starts the daemon, has det-1 alarm, and waits until the tiers `called` have their calls:
    /// the responders, and when the alarm went out.
    func startWithAlarm(called: [String]) async throws -> (responders: TestSubscriber, alarmedAt: Date) {
        try await harness.start()
        let responders = try await harness.responders()
        let alarmedAt = Date()
        try await alarm(try await harness.publisher())
        guard await eventually(timeout: 5, { Self.tiers(responders, action: "notify") == called }) else {
            throw TestSupportError("calls to \(Self.tiers(responders, action: "notify")), not \(called)")
        }
        return (responders, alarmedAt)
    }

    /// Everything the store holds about incident `id` that an answer could change.
    func record(_ id: Int64 = 1) throws -> Record {
        let store = try harness.store
        return Record(
            incident: try store.incident(id), timeline: try store.timeline(of: id),
            calls: try store.notifications(of: id).map(\.notification))
    }

    struct Record: Equatable {
        var incident: Incident?
        var timeline: [TimelineEntry]
        var calls: [String]
    }

    /// The calls of `action` the responders have received, by tier.
    static func tiers(_ responders: TestSubscriber, action: String) -> [String] {
        responders.received.filter { $0.field("action") == action }.map { String($0.topic.split(separator: "/")[2]) }
    }
}

extension AnswerRig {
    /// A link in the right shape signed with a key this gateway does not hold.
    static func forged(incident: Int64, port: Int) -> String {
        let claim = AnswerLink.Claim(
            incident: incident, tier: .grid, unit: "yq-c01-g01", expires: Int64(Date().timeIntervalSince1970) + 3_600)
        return String(AnswerLink.url(baseURL: "", claim: claim, key: Array("not the gateway's key".utf8)))
    }
}

/// Percent-encodes a form value as a browser does.
func formValue(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
}
