import Foundation
import SmokeGateCore
import SmokeGateReceivers

/// What a POST came to, as the page says it.
struct AnswerNotice: Sendable, Equatable {
    enum Tone: String, Sendable {
        case done
        case refused
    }

    var tone: Tone
    var title: String
    var detail: [String] = []

    var html: String {
        let lines = detail.map { "<p>" + AnswerHTML.escape($0) + "</p>" }.joined()
        return "<div class=\"notice \(tone.rawValue)\" role=\"status\"><b>\(AnswerHTML.escape(title))</b>\(lines)</div>\n"
    }
}
