import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SmokeGateCore

/// The one way the chat robots are posted to: JSON to the hook URL, then the outcome decided
/// on the robot's code (they answer HTTP 200 with an error code), and on the status only
/// when no code came back (a proxy's error page).
enum RobotPost {
    static func send(
        url: String, body: [UInt8], settings: ReceiverSettings, using http: HTTPClient, now: Date,
        codeKeys: [String], messageKeys: [String], decide: (RobotAnswer) -> DeliveryOutcome
    ) async -> DeliveryOutcome {
        let vendor = settings.kind.rawValue
        guard let request = JSONRequest.make(url: url, body: body) else {
            return .refused("\(vendor): the configured URL is not a valid http(s) URL")
        }
        let result = await HTTPExchange.perform(request, using: http, timeout: settings.timeout)
        if let failed = HTTPExchange.outcome(of: result, kind: settings.kind) { return failed }
        guard case .answered(let status, let headers, let answer) = result else { return .retryLater("\(vendor): no answer") }
        if let coded = RobotAnswer(answer, codeKeys: codeKeys, messageKeys: messageKeys) { return decide(coded) }
        if (200..<300).contains(status) { return .retryLater("\(vendor) answered HTTP \(status) without a code") }
        return StatusOutcome.decide(status: status, headers: headers, now: now, vendor: vendor)
    }

    /// The start of the minute after `now`: WeCom counts its 20 messages per clock minute.
    static func nextMinute(after now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
    }
}
