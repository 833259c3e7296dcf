import Foundation
import SmokeGateCore

/// How the chat robots word a call, in Chinese, shared by WeCom, DingTalk and Feishu so a
/// grid worker reads the same card in every app: what, where, who is called, the evacuation
/// circle and the answer link. Several calls merged into one message are a numbered list in
/// the order given (the delivery service puts fires first).
public struct CallText: Sendable {
    /// The zone times are shown in (the gateway's, which is the street's).
    public var timeZone: TimeZone

    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
    }

    /// 火警, 故障, 防拆, 低电量, 离线 (the stored word for a kind this version does not know).
    public static func kindName(_ kind: String) -> String {
        switch kind {
        case "fire": "火警"
        case "fault": "故障"
        case "tamper": "防拆"
        case "low_battery": "低电量"
        case "offline": "离线"
        default: kind
        }
    }

    /// 通知, 已确认, 已处置, 呼叫失败.
    public static func actionName(_ action: String) -> String {
        switch action {
        case "notify": "通知"
        case "ack": "已确认"
        case "resolve": "已处置"
        case "call_failed": "呼叫失败"
        default: action
        }
    }

    /// 网格, 社区, 街道, 消防救援站.
    public static func tierName(_ tier: String) -> String {
        switch tier {
        case "grid": "网格"
        case "community": "社区"
        case "street": "街道"
        case "station": "消防救援站"
        default: tier
        }
    }

    /// The words of the link: a call asks for an answer, a notice only shows the incident.
    public static func linkText(_ call: CallCard) -> String {
        call.action == "notify" ? "点击查看并确认" : "点击查看"
    }

    /// `【火警】通知` for one call.
    public static func headline(_ call: CallCard) -> String {
        "【\(kindName(call.kind))】\(actionName(call.action))"
    }

    /// A notification's one-line title: the call's headline and address, or how many calls a
    /// merged message holds and of which kinds.
    public func title(_ calls: [CallCard]) -> String {
        guard calls.count > 1 else {
            guard let call = calls.first else { return "" }
            return Self.headline(call) + (call.address.map { " \($0)" } ?? "")
        }
        var counts: [(String, Int)] = []
        for call in calls {
            let name = Self.kindName(call.kind)
            if let index = counts.firstIndex(where: { $0.0 == name }) {
                counts[index].1 += 1
            } else {
                counts.append((name, 1))
            }
        }
        return "\(calls.count) 条呼叫：" + counts.map { "\($0.0) \($0.1)" }.joined(separator: "、")
    }

    /// The markdown text of one message: one call as a card, several as a numbered list.
    /// `lineBreak` is "\n" for WeCom and Feishu, "\n\n" for DingTalk (whose markdown joins
    /// single lines).
    /// `heading: false` leaves out the `###` line, for a card whose header shows `title`.
    public func markdown(_ calls: [CallCard], lineBreak: String = "\n", heading: Bool = true) -> String {
        render(calls, lineBreak: lineBreak, heading: heading, details: { details($0) })
    }

    /// As `markdown`, at most `limit` bytes of UTF-8: one call that does not fit loses its
    /// least important lines (never its headline, address or link); a list that does not fit
    /// shows each call by headline, address and link. The delivery service merges only what
    /// `fits`, so this is the last resort, not the way lists are split.
    public func markdown(_ calls: [CallCard], lineBreak: String = "\n", heading: Bool = true, limit: Int) -> String {
        let full = markdown(calls, lineBreak: lineBreak, heading: heading)
        guard full.utf8.count > limit else { return full }
        if calls.count == 1, let call = calls.first {
            var kept = details(call)
            while kept.count > 1 {
                kept.removeLast()
                let text = render(calls, lineBreak: lineBreak, heading: heading) { _ in kept + ["……（内容过长，详见链接）"] }
                if text.utf8.count <= limit { return text }
            }
        }
        let brief = render(calls, lineBreak: lineBreak, heading: heading) { call in call.address.map { ["**地址**：\($0)"] } ?? [] }
        return Self.cut(brief, toBytes: limit)
    }

    /// The lines under a call's headline, most important first.
    public func details(_ call: CallCard) -> [String] {
        var lines: [String] = []
        func add(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append("**\(label)**：\(value)")
        }
        add("地址", call.address)
        add("场所", call.venue)
        add("网格", call.grid)
        add("呼叫", "\(call.unitName ?? call.unit)（\(Self.tierName(call.tier))）")
        add("时间", (call.openedAt ?? call.at).map(localTime))
        switch call.action {
        case "ack": add("确认人", call.by)
        case "resolve": add("处置人", call.by)
        default: break
        }
        add("联系人", call.contacts.map { "\($0.name) \($0.phone)" }.joined(separator: "、"))
        if let circle = call.evacuation {
            add("疏散方向", circle.direction)
            add("避难场所", circle.shelter)
            add("救援路线", circle.rescueRoute)
        }
        if call.groupCount > 1 { add("同组探测器", "\(call.groupCount) 个") }
        add("原因", call.reason)
        add("事件编号", String(call.incident))
        return lines
    }

    private func render(_ calls: [CallCard], lineBreak: String, heading: Bool, details: (CallCard) -> [String]) -> String {
        func link(_ call: CallCard) -> [String] {
            call.answerURL.map { ["[\(Self.linkText(call))](\($0))"] } ?? []
        }
        guard calls.count > 1 else {
            guard let call = calls.first else { return "" }
            let top = heading ? ["### \(Self.headline(call))"] : []
            return (top + details(call) + link(call)).joined(separator: lineBreak)
        }
        var blocks = heading ? ["### \(title(calls))"] : []
        for (index, call) in calls.enumerated() {
            let lines = ["**\(index + 1). \(Self.headline(call))**"] + details(call) + link(call)
            blocks.append(lines.joined(separator: lineBreak))
        }
        return blocks.joined(separator: lineBreak + lineBreak)
    }

    private func localTime(_ text: String) -> String {
        guard let date = RFC3339.parse(text) else { return text }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return
            "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    /// The longest prefix of `text` within `bytes` bytes of UTF-8, cut between characters.
    static func cut(_ text: String, toBytes bytes: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            out.append(character)
            used += size
        }
        return out
    }
}
