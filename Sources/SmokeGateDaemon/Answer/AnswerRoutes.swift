import Foundation
import Hummingbird
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateStore

/// `/answer/…` on `http.listen`: the page an answer link opens (`GET`, which changes nothing,
/// since chat apps and link scanners fetch every URL they see), the buttons on it (`POST`
/// `action=ack` or `action=resolve`), and the SMS provider's push of reply texts
/// (`AnswerRoutes+SMS.swift`). A link touches only the incident its signed claim names.
enum AnswerRoutes {
    static let maximumNameLength = 64
    static let maximumCauseLength = 200
    /// The most a form post may carry: two short fields and a cause.
    static let formLimit = 16 * 1024

    static func mount<Context: RequestContext>(on router: Router<Context>, desk: AnswerDesk) {
        router.get("answer/:token") { _, context in
            show(token: context.parameters.get("token") ?? "", desk: desk)
        }
        router.post("answer/:token") { request, context in
            await answer(request, token: context.parameters.get("token") ?? "", desk: desk)
        }
        router.post("answer/sms/:secret") { request, context in
            await smsReplies(request, secret: context.parameters.get("secret") ?? "", desk: desk)
        }
    }

    /// `GET /answer/{token}`: reads, never writes.
    static func show(token: String, desk: AnswerDesk) -> Response {
        let nonce = Self.nonce()
        switch claim(token, desk: desk, nonce: nonce) {
        case .refused(let page): return page
        case .valid(let claim):
            do {
                return try render(claim, desk: desk, notice: nil, status: .ok, nonce: nonce)
            } catch {
                return unavailable(error, desk: desk, nonce: nonce)
            }
        }
    }

    /// `POST /answer/{token}`: the 确认 and 处置完毕 buttons.
    static func answer(_ request: Request, token: String, desk: AnswerDesk) async -> Response {
        let nonce = Self.nonce()
        let claim: AnswerLink.Claim
        switch Self.claim(token, desk: desk, nonce: nonce) {
        case .refused(let page): return page
        case .valid(let verified): claim = verified
        }
        guard let body = try? await request.body.collect(upTo: formLimit) else {
            return page(.contentTooLarge, title: "内容过长", text: "提交的内容过长。", nonce: nonce)
        }
        let form = FormFields(String(buffer: body))
        do {
            guard try desk.store.incident(claim.incident) != nil else { return missing(nonce) }
            let (notice, status) = try perform(form, claim: claim, desk: desk)
            return try render(claim, desk: desk, notice: notice, status: status, nonce: nonce)
        } catch {
            return unavailable(error, desk: desk, nonce: nonce)
        }
    }

    /// Carries out one button's form as the claim's unit (or person) and says what came of it.
    private static func perform(_ form: FormFields, claim: AnswerLink.Claim, desk: AnswerDesk) throws -> (
        AnswerNotice, HTTPResponse.Status
    ) {
        let action = form["action"]
        guard action == "ack" || action == "resolve" else {
            desk.metrics.answerReceived(channel: "link", outcome: "invalid")
            return (AnswerNotice(tone: .refused, title: "无法识别的操作", detail: ["请使用页面上的按钮。"]), .badRequest)
        }
        let person: String
        if let contact = claim.contact {
            person = try contactName(contact, claim: claim, desk: desk)
        } else {
            guard let by = form["by"], by.count <= maximumNameLength, !by.contains(where: \.isNewline) else {
                desk.metrics.answerReceived(channel: "link", outcome: "invalid")
                return (
                    AnswerNotice(tone: .refused, title: "请填写您的姓名", detail: ["姓名必填，不超过 \(maximumNameLength) 个字。"]), .badRequest
                )
            }
            person = by
        }
        do {
            if action == "ack" {
                let incident = try desk.acknowledge(claim.incident, by: person, channel: "link")
                desk.metrics.answerReceived(channel: "link", outcome: "acknowledged")
                desk.logger.notice(
                    "incident acknowledged from an answer link",
                    metadata: [
                        "incident": "\(claim.incident)", "tier": "\(claim.tier.rawValue)", "unit": "\(claim.unit)",
                        "by": "\(person)",
                    ])
                return (AnswerNotice(tone: .done, title: "已确认，升级已停止", detail: [told(incident)]), .ok)
            }
            let cause = (form["cause"] == "other" ? nil : form["cause"]) ?? form["cause_text"]
            guard let cause, cause.count <= maximumCauseLength, !cause.contains(where: \.isNewline) else {
                desk.metrics.answerReceived(channel: "link", outcome: "invalid")
                return (
                    AnswerNotice(tone: .refused, title: "请选择或填写原因", detail: ["原因必填，不超过 \(maximumCauseLength) 个字。"]),
                    .badRequest
                )
            }
            let resolution = try desk.resolve(claim.incident, by: person, cause: cause, channel: "link")
            desk.metrics.answerReceived(channel: "link", outcome: "resolved")
            desk.logger.notice(
                "incident resolved from an answer link",
                metadata: [
                    "incident": "\(claim.incident)", "tier": "\(claim.tier.rawValue)", "unit": "\(claim.unit)", "by": "\(person)",
                    "cause": "\(cause)", "relatched": "\(resolution.relatched.map(\.id))",
                ])
            return (
                AnswerNotice(tone: .done, title: "已处置完毕", detail: [told(resolution.resolved)] + relatched(resolution)), .ok
            )
        } catch let refusal as IncidentRefusal {
            desk.metrics.answerReceived(channel: "link", outcome: "refused")
            desk.logger.info(
                "an answer link's \(action ?? "") was refused",
                metadata: ["incident": "\(claim.incident)", "by": "\(person)", "refusal": "\(refusal.message)"])
            return (AnswerNotice(tone: .refused, title: action == "ack" ? "未能确认" : "未能处置", detail: [refusal.message]), .conflict)
        }
    }

    /// The person a person's link is for: by the chain in force, else as the call named them.
    private static func contactName(_ contact: String, claim: AnswerLink.Claim, desk: AnswerDesk) throws -> String {
        let directory = desk.live.desk.directory
        if let incident = try desk.store.incident(claim.incident),
            let unit = directory.units(claim.tier, for: incident.site).first(where: { $0.id == claim.unit }),
            let person = unit.contacts.first(where: { $0.id == contact })
        {
            return person.name
        }
        return try desk.store.contactName(incident: claim.incident, unit: claim.unit, contact: contact) ?? contact
    }

    private static func told(_ incident: Incident) -> String {
        let tiers = incident.calledInOrder.map(AnswerWords.tier)
        return tiers.isEmpty ? "尚未呼叫任何人。" : "已通知：" + tiers.joined(separator: "、") + "。"
    }

    /// What `smokegate resolve` prints when a detector still in smoke opens a fire again.
    private static func relatched(_ resolution: Resolution) -> [String] {
        guard !resolution.relatched.isEmpty else { return [] }
        var lines = resolution.relatched.map { fire in
            let devices = fire.members.joined(separator: ", ")
            let called = fire.calledInOrder.map(\.rawValue).joined(separator: ", ")
            return "RE-LATCHED: \(devices) still senses smoke: fire incident \(fire.id) opened at once; "
                + (fire.isSilenced ? "a silence covers it, nobody called" : "called: \(called)")
        }
        lines.insert("探测器仍检测到烟雾，已立即重新立案火警（新事件编号：\(resolution.relatched.map { String($0.id) }.joined(separator: "、"))）。", at: 0)
        lines.append("仍在报警的探测器无法复位；如为故障，请联系值班人员先屏蔽该探测器。")
        return lines
    }

    /// The page for `claim`'s incident as it stands now.
    private static func render(
        _ claim: AnswerLink.Claim, desk: AnswerDesk, notice: AnswerNotice?, status: HTTPResponse.Status, nonce: String
    ) throws -> Response {
        guard let incident = try desk.store.incident(claim.incident) else { return missing(nonce) }
        let person = try claim.contact.map { try contactName($0, claim: claim, desk: desk) }
        let view = AnswerPage(
            incident: incident, timeline: try desk.store.timeline(of: claim.incident), claim: claim,
            directory: desk.live.desk.directory, person: person, notice: notice)
        return html(status, view.html(nonce: nonce), nonce: nonce)
    }

    /// A token checked: its claim, or the page refusing it.
    private enum Checked {
        case valid(AnswerLink.Claim)
        case refused(Response)
    }

    /// The claim a token carries, or the page refusing it (403, or 410 once expired).
    private static func claim(_ token: String, desk: AnswerDesk, nonce: String) -> Checked {
        guard let settings = desk.settings else {
            return .refused(page(.notFound, title: "页面不存在", text: "本网关未启用手机应答。", nonce: nonce))
        }
        do throws(AnswerLink.Refusal) {
            return .valid(try AnswerLink.verify(token, key: settings.key, now: desk.clock.now()))
        } catch {
            let response =
                error == .expired
                ? page(.gone, title: "链接已过期", text: "此链接已过期，未做任何更改。请联系值班人员或使用最新消息中的链接。", nonce: nonce)
                : page(.forbidden, title: "链接无效", text: "此链接无效或已被修改，未做任何更改。", nonce: nonce)
            let outcome = "\(error)"
            desk.metrics.answerReceived(channel: "link", outcome: outcome)
            desk.logger.notice(
                "an answer link was refused",
                metadata: ["refusal": "\(outcome)", "token": "\(AnswerDesk.masked(token, keep: 6))"])
            return .refused(response)
        }
    }

    /// A link to an incident this database does not hold (another gateway's, or a restored backup).
    private static func missing(_ nonce: String) -> Response {
        page(.notFound, title: "事件不存在", text: "找不到该事件，未做任何更改。", nonce: nonce)
    }

    private static func unavailable(_ error: any Error, desk: AnswerDesk, nonce: String) -> Response {
        desk.logger.error("cannot answer from a link", metadata: ["error": "\(error)"])
        return page(.serviceUnavailable, title: "暂时无法处理", text: "网关暂时无法处理，请稍后重试，或电话联系值班人员。", nonce: nonce)
    }

    static func page(_ status: HTTPResponse.Status, title: String, text: String, nonce: String) -> Response {
        html(status, AnswerHTML.message(title: title, text: text, nonce: nonce), nonce: nonce)
    }

    /// An answer page with the headers every one carries: never cached or indexed, no referrer
    /// leaving with the token, nothing loaded from anywhere, no framing.
    static func html(_ status: HTTPResponse.Status, _ text: String, nonce: String) -> Response {
        var headers = privateHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'nonce-\(nonce)'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static var privateHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        // HTTPTypes names few headers; its field type is reached through the exported `HTTPFields`.
        headers[HTTPFields.Element.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPFields.Element.Name("X-Robots-Tag")!] = "noindex, nofollow"
        headers[.xContentTypeOptions] = "nosniff"
        return headers
    }

    /// A fresh nonce for the page's one style block.
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
