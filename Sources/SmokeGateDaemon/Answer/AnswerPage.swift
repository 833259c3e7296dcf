import Foundation
import SmokeGateCore
import SmokeGateReceivers

/// The page an answer link shows on a phone: what happened and where, who has been called,
/// the grid's evacuation circle, the timeline, and the two buttons. Plain HTML with one
/// inline style block (allowed by its nonce), no scripts, nothing fetched from elsewhere.
struct AnswerPage {
    var incident: Incident
    var timeline: [TimelineEntry]
    var claim: AnswerLink.Claim
    var directory: ResponseDirectory
    /// The person a person's link is for (they are not asked their name); nil for a group's.
    var person: String?
    /// What a POST came to, shown above everything else.
    var notice: AnswerNotice?

    func html(nonce: String) -> String {
        let site = incident.site
        let placement = site.gridID.flatMap { directory.chain.placement(ofGrid: $0) }
        let kind = AnswerWords.kind(incident.kind)
        var body = """
            <header class="\(incident.kind == .fire ? "fire" : "job")"><h1>\(kind)</h1>\
            <p class="state">\(AnswerWords.state(incident.state))</p></header>

            """
        if let notice { body += notice.html }
        body += section(
            "位置",
            definitions([
                ("地址", site.address), ("场所", site.venue), ("网格", placement?.grid.name ?? site.gridID ?? ""),
                ("社区", placement?.community.name ?? site.communityID ?? ""),
                ("街道", placement?.street.name ?? site.streetID ?? ""), ("探测器", site.deviceID),
                ("报警时间", AnswerHTML.time(incident.openedAt)),
            ]))
        body += section("状态", definitions(status))
        body += section("已呼叫", called)
        if let evacuation = directory.evacuation(for: site) {
            body += section(
                "疏散",
                definitions([
                    ("疏散方向", evacuation.direction), ("集合点", evacuation.shelter), ("救援路线", evacuation.rescueRoute),
                ]))
        }
        body += forms
        body += section("经过", lines)
        let unit = directory.units(claim.tier, for: site).first { $0.id == claim.unit }?.name ?? claim.unit
        body += """
            <footer>本链接供\(AnswerHTML.escape(AnswerWords.tier(claim.tier) + " " + unit))\
            \(person.map { "（" + AnswerHTML.escape($0) + "）" } ?? "")使用，\
            有效期至 \(AnswerHTML.time(claim.expiresAt))。请勿转发。</footer>

            """
        return AnswerHTML.document(title: "\(kind) · \(site.venue.isEmpty ? site.address : site.venue)", nonce: nonce, body: body)
    }

    private var status: [(String, String)] {
        var rows = [("事件编号", String(incident.id)), ("状态", AnswerWords.state(incident.state))]
        if let by = incident.ackedBy { rows.append(("确认", "\(by) · \(AnswerHTML.time(incident.ackedAt))")) }
        if let by = incident.resolvedBy {
            rows.append(("处置完毕", "\(by) · \(AnswerHTML.time(incident.resolvedAt)) · \(incident.cause ?? "")"))
        }
        if let silence = incident.silencedBy { rows.append(("屏蔽", silence)) }
        return rows
    }

    /// Every tier called so far (from the timeline) and the units and people it reached.
    private var called: String {
        var tiers: [Tier] = []
        for entry in timeline where entry.action == .called || entry.action == .released {
            if let tier = entry.tier, !tiers.contains(tier) { tiers.append(tier) }
        }
        for tier in incident.calledInOrder where !tiers.contains(tier) { tiers.append(tier) }
        guard !tiers.isEmpty else { return "<p>尚未呼叫任何人。</p>\n" }
        var items = ""
        for tier in tiers {
            for unit in directory.units(tier, for: incident.site) {
                let people = unit.contacts.map { "\(AnswerHTML.escape($0.name)) \(AnswerHTML.escape($0.phone))" }
                items += "<li><b>\(AnswerWords.tier(tier))</b> \(AnswerHTML.escape(unit.name))"
                items += people.isEmpty ? "" : "<br><small>\(people.joined(separator: "；"))</small>"
                items += "</li>\n"
            }
        }
        return "<ul>\n\(items)</ul>\n"
    }

    /// 确认 while nobody has acknowledged, 处置完毕 until it is resolved; a group's link asks who
    /// is answering.
    private var forms: String {
        guard incident.state != .resolved else { return "" }
        let name =
            person == nil
            ? """
            <label>您的姓名<input name="by" required maxlength="\(AnswerRoutes.maximumNameLength)" autocomplete="name"></label>

            """ : ""
        var html = ""
        if incident.state == .open {
            html += """
                <form method="post" class="ack"><input type="hidden" name="action" value="ack">
                \(name)<button type="submit">确认</button></form>

                """
        }
        let options = AnswerWords.causes.map { "<option value=\"\($0.value)\">\($0.label)</option>" }.joined()
        html += """
            <form method="post" class="resolve"><input type="hidden" name="action" value="resolve">
            \(name)<label>原因<select name="cause">\(options)<option value="other">其他（请填写）</option></select></label>
            <label>其他原因<input name="cause_text" maxlength="\(AnswerRoutes.maximumCauseLength)"></label>
            <button type="submit">处置完毕</button></form>

            """
        return section("处置", html)
    }

    private var lines: String {
        let items = timeline.suffix(100).map { entry in
            var text = "<li><time>\(AnswerHTML.time(entry.at))</time> \(AnswerWords.action(entry.action))"
            if let tier = entry.tier { text += " · " + AnswerWords.tier(tier) }
            if let by = entry.by { text += " · " + AnswerHTML.escape(by) }
            if let channel = entry.channel { text += "（" + AnswerHTML.escape(AnswerWords.channel(channel)) + "）" }
            if let note = entry.note { text += "<br><small>" + AnswerHTML.escape(note) + "</small>" }
            return text + "</li>"
        }
        return "<ol>\n\(items.joined(separator: "\n"))\n</ol>\n"
    }

    private func section(_ title: String, _ content: String) -> String {
        "<section><h2>\(title)</h2>\n\(content)</section>\n"
    }

    private func definitions(_ rows: [(String, String)]) -> String {
        let items = rows.filter { !$0.1.isEmpty }.map { "<dt>\($0.0)</dt><dd>\(AnswerHTML.escape($0.1))</dd>" }
        return "<dl>\n\(items.joined(separator: "\n"))\n</dl>\n"
    }
}
