import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// `receivers:`, `answer:` and the chain's `receivers: [names]` as an operator writes them:
/// every kind with every field loads, secrets come from their files beside the main file, and
/// the console loads the same set without opening a secret.
@Suite struct ReceiverConfigurationTests {
    static let everyKind = """
        receivers:
          - { name: grid-wecom, type: wecom, url_file: secrets/grid-wecom.url, timeout: 5s }
          - { name: street-ding, type: dingtalk, url_file: secrets/ding.url, secret_file: secrets/ding.secret,
              pace: { count: 10, window: 1m } }
          - { name: ops-feishu, type: feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/hook-id",
              secret_file: secrets/feishu.secret, timeout: 60s, pace: { count: 4, window: 2s } }
          - { name: sms, type: aliyun_sms, endpoint: "https://dysmsapi.aliyuncs.com/", access_key_id: LTAI0000,
              access_key_secret_file: secrets/aliyun.secret, sign_name: 涌泉街道, template_code: SMS_000000 }
          - { name: voice, type: aliyun_voice, endpoint: "https://dyvmsapi.aliyuncs.com/", access_key_id: LTAI0001,
              access_key_secret_file: secrets/aliyun.secret, tts_code: TTS_000000, called_show_number: "07350000000" }
          - { name: duty-desk, type: webhook, url: "https://duty.example.org/hook", secret_file: secrets/duty.whsec }
        answer:
          base_url: "https://smokegate.example.org/"
          secret_file: secrets/answer.key
          valid_for: 12h
          sms_reply_secret_file: secrets/sms-reply.path
        """

    static let answerKey = "k3Yq0b2T5hN8vR1xW4zC7mF9jL6pS0dG2aE5uI8oQ1w="
    static let secrets: [(String, String)] = [
        ("grid-wecom.url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOM-KEY-0001\n"),
        ("ding.url", "  https://oapi.dingtalk.com/robot/send?access_token=DING-TOKEN-0002 \n"),
        ("ding.secret", "SECDING-SECRET-0003\n"),
        ("feishu.secret", "FEISHU-SECRET-0004"),
        ("aliyun.secret", "ALIYUN-SECRET-0005\r\n"),
        ("duty.whsec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"),
        ("answer.key", answerKey + "\n"),
        ("sms-reply.path", "reply-PATH-0007-abcdefgh\n"),
    ]

    static func writeEverything(_ fixture: ReceiverFixture) throws {
        for (name, text) in secrets { try fixture.secret(name, text) }
    }

    @Test func everyKindLoadsWithEveryField() throws {
        let fixture = try ReceiverFixture(Self.everyKind)
        try Self.writeEverything(fixture)
        let configuration = try fixture.load()

        var wecom = ReceiverSettings(
            name: "grid-wecom", kind: .wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOM-KEY-0001",
            timeout: .seconds(5))
        wecom.pace = nil
        var ding = ReceiverSettings(
            name: "street-ding", kind: .dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=DING-TOKEN-0002",
            secret: "SECDING-SECRET-0003")
        ding.pace = (10, 60)
        var feishu = ReceiverSettings(
            name: "ops-feishu", kind: .feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/hook-id",
            secret: "FEISHU-SECRET-0004", timeout: .seconds(60))
        feishu.pace = (4, 2)
        let sms = ReceiverSettings(
            name: "sms", kind: .aliyunSMS, url: "https://dysmsapi.aliyuncs.com/", secret: "ALIYUN-SECRET-0005",
            accessKeyID: "LTAI0000", signName: "涌泉街道", templateCode: "SMS_000000")
        let voice = ReceiverSettings(
            name: "voice", kind: .aliyunVoice, url: "https://dyvmsapi.aliyuncs.com/", secret: "ALIYUN-SECRET-0005",
            accessKeyID: "LTAI0001", templateCode: "TTS_000000", calledShowNumber: "07350000000")
        let webhook = ReceiverSettings(
            name: "duty-desk", kind: .webhook, url: "https://duty.example.org/hook",
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(configuration.receivers == [wecom, ding, feishu, sms, voice, webhook])
        #expect(configuration.receivers.map { $0.pace?.count } == [nil, 10, 4, nil, nil, nil])
        #expect(configuration.receivers.map { $0.pace?.window } == [nil, 60, 2, nil, nil, nil])
        #expect(
            configuration.receivers.map(\.timeout) == [
                .seconds(5), .seconds(10), .seconds(60), .seconds(10), .seconds(10), .seconds(10),
            ])

        #expect(
            configuration.answer
                == AnswerSettings(
                    baseURL: "https://smokegate.example.org", key: Array(Self.answerKey.utf8), validFor: .seconds(12 * 3_600),
                    smsReplyPath: "reply-PATH-0007-abcdefgh"))
        #expect(configuration.warnings.isEmpty, "\(configuration.warnings)")

        let street = try #require(configuration.chain.streets.first)
        #expect(configuration.chain.stations.first?.receivers == ["voice"])
        #expect(street.receivers == ["street-ding", "duty-desk"])
        #expect(street.communities.first?.receivers == ["sms", "ops-feishu"])
        #expect(street.communities.first?.grids.first?.receivers == ["grid-wecom", "sms"])
        let book = configuration.incidentDesk.receivers
        #expect(
            book.kind(of: "sms") == .aliyunSMS && book.kind(of: "grid-wecom") == .wecom && book.kind(of: "voice") == .aliyunVoice)
    }

    @Test func answerValidityDefaultsToADay() throws {
        let fixture = try ReceiverFixture(
            """
            answer: { base_url: "https://gw.example.org/smokegate", secret_file: secrets/answer.key }
            """, chain: Self.chainWithoutReceivers)
        try fixture.secret("answer.key", Self.answerKey)
        let answer = try #require(try fixture.load().answer)
        #expect(answer.baseURL == "https://gw.example.org/smokegate" && answer.validFor == .seconds(86_400))
        #expect(answer.smsReplyPath == nil)
    }

    @Test func receiversWithoutAnswerLoadAndCarryNoLink() throws {
        let fixture = try ReceiverFixture(
            """
            receivers:
              - { name: grid-wecom, type: wecom, url: "http://127.0.0.1:18080/cgi-bin/webhook/send?key=k" }
            """, chain: Self.chainWithoutReceivers, http: false)
        let configuration = try fixture.load()
        #expect(configuration.answer == nil)
        #expect(configuration.receivers.map(\.name) == ["grid-wecom"])
        #expect(configuration.warnings.isEmpty, "loopback over plain http is what tests do: no warning")
    }

    /// The console runs as an operator who may not read the daemon's secrets: it loads names
    /// and kinds without opening a secret file, while the daemon's load refuses the same set.
    @Test func theConsoleLoadsWithoutOpeningSecrets() throws {
        let fixture = try ReceiverFixture(Self.everyKind)
        let console = try fixture.load(readingSecrets: false)
        #expect(console.receivers.map(\.name) == ["grid-wecom", "street-ding", "ops-feishu", "sms", "voice", "duty-desk"])
        #expect(console.receivers.allSatisfy { $0.secret == nil })
        #expect(console.incidentDesk.receivers.kind(of: "voice") == .aliyunVoice)
        let problems = fixture.problems()
        #expect(problems.count == 9, "each missing secret file, once:\n\(problems.map(\.description).joined(separator: "\n"))")
        #expect(problems.allSatisfy { $0.message.hasSuffix(": file not found") })
    }

    @Test func plainHTTPToAnotherMachineLoadsWithAWarning() throws {
        let fixture = try ReceiverFixture(
            """
            receivers:
              - { name: duty-desk, type: webhook, url: "http://duty.example.org/hook", secret_file: secrets/duty.whsec }
            answer: { base_url: "http://smokegate.example.org", secret_file: secrets/answer.key }
            """, chain: Self.chainWithoutReceivers)
        try fixture.secret("duty.whsec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        try fixture.secret("answer.key", Self.answerKey)
        let configuration = try fixture.load()
        let warnings = configuration.warnings.map(\.warningDescription)
        let receiverLine = try #require(ReceiverFixture.line(of: "name: duty-desk", in: fixture.main))
        let answerLine = try #require(ReceiverFixture.line(of: "answer:", in: fixture.main))
        #expect(
            warnings.sorted()
                == [
                    "\(fixture.mainFile.path):\(receiverLine): warning: 'receivers[0].url' is plain http to a host that is not "
                        + "loopback: calls (and any key in the URL) travel unencrypted",
                    "\(fixture.mainFile.path):\(answerLine): warning: 'answer.base_url' is plain http to 'smokegate.example.org', "
                        + "which is not loopback: links and answers travel unencrypted (put a TLS reverse proxy in front of http.listen)",
                ].sorted(), "\(warnings)")
        #expect(configuration.answer?.baseURL == "http://smokegate.example.org")
    }

    /// The commented example in the shipped `config/smokegate.yaml`, uncommented, loads: the
    /// example an operator copies cannot drift from what the loader takes.
    @Test func theShippedExampleLoadsOnceUncommented() throws {
        let shipped = try String(
            contentsOf: ConfigurationTests.packageRoot.appendingPathComponent("config/smokegate.yaml"), encoding: .utf8)
        let lines = shipped.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("# receivers:") })
        let example = lines[start...].map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : String($0) }.joined(separator: "\n")
        let fixture = try ReceiverFixture(example, chain: Self.chain(gridReceivers: "[grid-wecom, sms, voice]"))
        try Self.writeEverything(fixture)
        try fixture.secret("feishu.url", "https://open.feishu.cn/open-apis/bot/v2/hook/hook-id\n")
        let configuration = try fixture.load()
        #expect(configuration.receivers.map(\.kind) == [.wecom, .dingtalk, .feishu, .aliyunSMS, .aliyunVoice, .webhook])
        #expect(configuration.answer?.baseURL == "https://smokegate.example.org")
        #expect(configuration.chain.streets.first?.communities.first?.grids.first?.receivers == ["grid-wecom", "sms", "voice"])
    }

    static func chain(gridReceivers: String) -> String {
        chainWithoutReceivers.replacingOccurrences(
            of: "contacts: [{ id: g1-w, name: 网格员, phone: \"1\" }] }",
            with: "contacts: [{ id: g1-w, name: 网格员, phone: \"1\" }], receivers: \(gridReceivers) }")
    }

    static let chainWithoutReceivers = """
        stations: [{ id: wgxz, name: 消防救援站, contacts: [] }]
        streets:
          - id: yongquan
            name: 涌泉街道
            station: wgxz
            contacts: [{ id: yq-duty, name: 应急办值班, phone: "13800000000" }]
            communities: [{ id: c1, name: 某社区, contacts: [], grids: [{ id: g1, name: 第一网格, contacts: [{ id: g1-w, name: 网格员, phone: "1" }] }] }]
        """
}
