import AsyncHTTPClient
import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport

/// Calls as the outbox stores them (the composer's JSON, keys sorted), read back.
enum CallCards {
    static let link = "https://smokegate.example.org/answer/eyJpIjo0Mn0.c2lnbmF0dXJl"

    /// A fire at a grid: contacts, an evacuation circle, an answer link and code.
    static func fire(
        incident: Int64 = 42, notification: String = "n-42-grid", address: String = "幸福小区3栋2单元501",
        contacts: Int = 2, link: String? = CallCards.link, code: String? = "482913"
    ) -> CallCard {
        let people = (0..<contacts).map { index in
            #"{"id":"p-\#(index)","name":"\#(index == 0 ? "张伟" : "值班员\(index)")","phone":"1380000\#(String(format: "%04d", index))"}"#
        }
        let payload = #"""
            {"action":"notify","address":"\#(address)","at":"2026-11-22T08:00:05Z","by":null,"community":"c-xingfu",\#
            "contacts":[\#(people.joined(separator: ","))],"device":"SD-0001","evacuation":{"direction":"向东侧楼梯疏散",\#
            "rescue_route":"由幸福路东门进入","shelter":"小区中心广场"},"grid":"g-07","incident":\#(incident),"kind":"fire",\#
            "notification":"\#(notification)","opened_at":"2026-11-22T08:00:00Z","reason":"smoke alarm","street":"s-yongquan",\#
            "tier":"grid","unit":"g-07","unit_name":"第七网格","venue":"居民住宅","venue_type":"residential"}
            """#
        var card = CallCard(payload: payload)!
        card.answerURL = link
        card.answerCode = code
        return card
    }

    /// A grouped fault (12 detectors) at a community desk, no evacuation circle.
    static func fault(incident: Int64 = 43, notification: String = "n-43-community", address: String = "安康苑5栋") -> CallCard {
        let payload = #"""
            {"action":"notify","address":"\#(address)","at":"2026-11-22T08:01:00Z","by":null,"community":"c-ankang",\#
            "contacts":[{"id":"desk","name":"社区值班室","phone":"07350000001"}],"device":"SD-0100","evacuation":null,\#
            "grid":"g-02","group":{"count":12},"incident":\#(incident),"kind":"fault","notification":"\#(notification)",\#
            "opened_at":"2026-11-22T08:00:30Z","reason":"sensor fault","street":"s-yongquan","tier":"community",\#
            "unit":"c-ankang","unit_name":"安康社区","venue":"安康苑","venue_type":"residential"}
            """#
        var card = CallCard(payload: payload)!
        card.answerURL = "https://smokegate.example.org/answer/fault-\(incident)"
        card.answerCode = "100200"
        return card
    }

    static let person = Contact(id: "p-0", name: "张伟", phone: "13800000000")
}

/// The client every receiver test sends with, made as the daemon makes it; it lives as long
/// as the test process.
let testHTTP = HTTPClient(configuration: Receivers.httpConfiguration)

/// Runs `body` with doubles listening, and stops them after, whatever happens.
func withDoubles(
    _ credentials: DoubleCredentials = DoubleCredentials(), _ body: (ReceiverDoubles) async throws -> Void
) async throws {
    let doubles = ReceiverDoubles(credentials: credentials)
    try await doubles.start()
    do {
        try await body(doubles)
    } catch {
        await doubles.stop()
        throw error
    }
    await doubles.stop()
}

extension ReceiverDoubles {
    /// Settings for a receiver of `kind` that the doubles accept: their URL and secrets.
    func settings(_ kind: ReceiverKind, key: String = "double", timeout: Duration = .seconds(5)) -> ReceiverSettings {
        let vendor = DoubleVendor(rawValue: kind.rawValue)!
        var settings = ReceiverSettings(name: "test-\(kind.rawValue)", kind: kind, url: url(vendor, key: key), timeout: timeout)
        switch kind {
        case .webhook: settings.secret = credentials.webhookSecret
        case .wecom: break
        case .dingtalk: settings.secret = credentials.dingtalkSecret
        case .feishu: settings.secret = credentials.feishuSecret
        case .aliyunSMS, .aliyunVoice:
            settings.accessKeyID = credentials.aliyunAccessKeyID
            settings.secret = credentials.aliyunAccessKeySecret
            settings.signName = "涌泉街道"
            settings.templateCode = kind == .aliyunSMS ? "SMS_000000" : "TTS_000000"
        }
        return settings
    }
}

extension DeliveryOutcome {
    /// Whether the outcome is a lost answer: `retryLater` or `unknown` saying so.
    var saysAnswerLost: Bool { detail?.contains("answer lost") == true }
}
