import Foundation
import Hummingbird
import SmokeGateCore
import SmokeGateStore

extension AnswerRoutes {
    /// The most one push may carry: Aliyun batches replies, each a short text.
    static let smsLimit = 256 * 1024

    /// `POST /answer/sms/{secret}`: Aliyun's SmsUp push of reply texts. A reply `1 CODE` from
    /// the phone the code was sent to acknowledges as that contact. Every push that is a list
    /// of replies is answered `{"code":0,"msg":"接收成功"}`, matched or not (the provider only
    /// retries, and a reply that matches nothing will not match the next time either); only a
    /// store that cannot take the answer asks for a retry (503).
    static func smsReplies(_ request: Request, secret: String, desk: AnswerDesk) async -> Response {
        guard let settings = desk.settings, let path = settings.smsReplyPath, constantTimeEqual(secret, path) else {
            return Response(status: .notFound, headers: privateHeaders)
        }
        guard let body = try? await request.body.collect(upTo: smsLimit) else {
            return json(.contentTooLarge, code: 1, "too large")
        }
        guard let replies = SMSReply.batch(Array(buffer: body)) else {
            desk.logger.notice("an SMS reply push was not a JSON list of replies", metadata: ["bytes": "\(body.readableBytes)"])
            return json(.badRequest, code: 1, "expected a JSON array of replies")
        }
        for reply in replies {
            do {
                try take(reply, validFor: settings.validFor, desk: desk)
            } catch {
                desk.logger.error("cannot take an SMS reply", metadata: ["error": "\(error)"])
                return json(.serviceUnavailable, code: 1, "try again")
            }
        }
        return json(.ok, code: 0, "接收成功")
    }

    /// Acknowledges as the contact a reply's code was texted to, if it is one.
    private static func take(_ reply: SMSReply, validFor: Duration, desk: AnswerDesk) throws {
        let phone = AnswerDesk.maskedPhone(reply.phoneNumber ?? "")
        guard let sender = reply.phoneNumber, let code = reply.acknowledgementCode else {
            desk.metrics.answerReceived(channel: "sms", outcome: "not_a_code")
            desk.logger.info(
                "an SMS reply is not an acknowledgement",
                metadata: ["phone": "\(phone)", "length": "\(reply.content?.count ?? 0)"])
            return
        }
        let masked = AnswerDesk.masked(code)
        guard let text = try desk.store.text(answerCode: code, from: sender, validFor: validFor, at: desk.clock.now()) else {
            desk.metrics.answerReceived(channel: "sms", outcome: "no_match")
            desk.logger.notice(
                "an SMS reply's code matches no text sent to that phone in time",
                metadata: ["phone": "\(phone)", "code": "\(masked)"])
            return
        }
        do {
            _ = try desk.acknowledge(text.incident, by: text.person, channel: "sms")
            desk.metrics.answerReceived(channel: "sms", outcome: "acknowledged")
            desk.logger.notice(
                "incident acknowledged by an SMS reply",
                metadata: ["incident": "\(text.incident)", "unit": "\(text.unit)", "by": "\(text.person)", "phone": "\(phone)"])
        } catch let refusal as IncidentRefusal {
            desk.metrics.answerReceived(channel: "sms", outcome: "refused")
            desk.logger.info(
                "an SMS reply's acknowledgement was refused",
                metadata: ["incident": "\(text.incident)", "by": "\(text.person)", "refusal": "\(refusal.message)"])
        }
    }

    private static func json(_ status: HTTPResponse.Status, code: Int, _ message: String) -> Response {
        var headers = privateHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"code\":\(code),\"msg\":\"\(escaped)\"}")))
    }

    /// Whether `given` equals `secret`, taking as long whatever the first difference: the
    /// path is the only thing protecting the endpoint.
    static func constantTimeEqual(_ given: String, _ secret: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(secret.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0 && !b.isEmpty
    }
}
