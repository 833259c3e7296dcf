import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// A broken set of receivers reports every problem at once, each on the line that causes it,
/// and never quotes a secret: problems reach the journal and `smokegate status`.
@Suite struct ReceiverProblemTests {
    /// Every secret below carries `SECRET`, so one search proves none leaked.
    static let broken = """
        receivers:
          - { name: a-bad-type, type: slack, url: "https://hooks.example.org/SECRET-A" }
          - { name: twice, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-B" }
          - { name: twice, type: wecom, url_file: secrets/wecom.url }
          - { type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-C" }
          - { name: both, type: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=SECRET-D", url_file: secrets/wecom.url }
          - { name: neither, type: feishu }
          - { name: ftp, type: wecom, url: "ftp://files.example.org/hook?key=SECRET-E" }
          - { name: hostless, type: wecom, url_file: secrets/hostless.url }
          - { name: no-endpoint, type: aliyun_sms, access_key_id: LTAI0000, access_key_secret_file: secrets/aliyun.secret, sign_name: 街道, template_code: SMS_1 }
          - { name: gone, type: dingtalk, url_file: secrets/missing.url }
          - { name: open, type: feishu, url_file: secrets/open.url }
          - { name: empty, type: wecom, url_file: secrets/empty.url }
          - { name: folder, type: wecom, url_file: secrets }
          - { name: hook-bad-secret, type: webhook, url: "https://duty.example.org/hook", secret_file: secrets/plain.secret }
          - { name: hook-no-secret, type: webhook, url: "https://duty.example.org/hook" }
          - { name: sms-incomplete, type: aliyun_sms, endpoint: "https://dysmsapi.aliyuncs.com/" }
          - { name: voice-incomplete, type: aliyun_voice, endpoint: "https://dyvmsapi.aliyuncs.com/", access_key_id: LTAI0000, access_key_secret_file: secrets/aliyun.secret }
          - { name: slow, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-F", timeout: 90s }
          - { name: instant, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-G", timeout: 0s }
          - { name: paced-badly, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-H", pace: { count: 0, window: soon } }
          - { name: paced-never, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-I", pace: { count: 5, window: 0s } }
          - { name: wecom-signed, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-J", secret_file: secrets/plain.secret }
        """

    static let brokenChain = """
        stations:
          - { id: wgxz, name: 消防救援站, contacts: [], receivers: [voice-incomplete] }
        streets:
          - id: yongquan
            name: 涌泉街道
            station: wgxz
            contacts: [{ id: yq-duty, name: 应急办值班, phone: "13800000000" }]
            receivers: [twice, twice]
            communities:
              - id: c1
                name: 某社区
                receivers: [sms-incomplete]
                grids:
                  - id: g1
                    name: 第一网格
                    contacts: [{ id: g1-w, name: 网格员, phone: "13800000002" }]
                    receivers: [grid-wechat]
        """

    static func brokenFixture() throws -> ReceiverFixture {
        let fixture = try ReceiverFixture(broken, chain: brokenChain)
        try fixture.secret("wecom.url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-K\n")
        try fixture.secret("hostless.url", "https:///cgi-bin/webhook/send?key=SECRET-L\n")
        try fixture.secret("aliyun.secret", "SECRET-M\n")
        try fixture.secret("open.url", "https://open.feishu.cn/open-apis/bot/v2/hook/SECRET-N\n", mode: 0o644)
        try fixture.secret("empty.url", " \n\n")
        try fixture.secret("plain.secret", "SECRET-O-is-not-whsec\n")
        return fixture
    }

    @Test func everyReceiverProblemIsReportedAtOnceOnItsLine() throws {
        let fixture = try Self.brokenFixture()
        let problems = fixture.problems()
        func expect(_ marker: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            fixture.expectProblem(problems, at: marker, fragment, sourceLocation: sourceLocation)
        }
        expect(
            "name: a-bad-type",
            "'receivers[0].type' 'slack' is not a known receiver type (webhook, wecom, dingtalk, feishu, aliyun_sms, aliyun_voice)"
        )
        let firstTwice = try #require(ReceiverFixture.line(of: "name: twice", in: fixture.main))
        expect("url_file: secrets/wecom.url }", "duplicate receiver name 'twice' (first on line \(firstTwice))")
        expect("{ type: wecom", "'receivers[3].name' is required")
        expect("name: both", "'receivers[4]' takes 'url' or 'url_file', not both")
        expect("name: neither", "'receivers[5]' needs 'url' or 'url_file' (where its calls are posted)")
        expect("name: ftp", "'receivers[6].url' is not an http(s) URL with a host")
        expect("name: hostless", "'receivers[7].url_file' secrets/hostless.url: is not an http(s) URL with a host")
        expect("name: no-endpoint", "'receivers[8].endpoint' is required")
        expect("name: gone", "'receivers[9].url_file' secrets/missing.url: file not found")
        expect(
            "name: open",
            "'receivers[10].url_file' secrets/open.url: group or others may open it (mode 0644): chmod 600 "
                + fixture.folder.appendingPathComponent("secrets/open.url").path)
        expect("name: empty", "'receivers[11].url_file' secrets/empty.url: is empty")
        expect("name: folder", "'receivers[12].url_file' secrets: is a directory, not a file")
        expect(
            "name: hook-bad-secret",
            "'receivers[13].secret_file' secrets/plain.secret: not a Standard Webhooks secret (whsec_ followed by base64)")
        expect("name: hook-no-secret", "'receivers[14].secret_file' is required")
        for key in ["access_key_id", "access_key_secret_file", "sign_name", "template_code"] {
            expect("name: sms-incomplete", "'receivers[15].\(key)' is required")
        }
        expect("name: voice-incomplete", "'receivers[16].tts_code' is required")
        expect("name: slow", "'receivers[17].timeout' must be longer than 0s and at most 60s, got '90s'")
        expect("name: instant", "'receivers[18].timeout' must be longer than 0s and at most 60s, got '0s'")
        expect("name: paced-badly", "'receivers[19].pace.count' must be a whole number from 1 to 100000, got '0'")
        expect("name: paced-badly", "'receivers[19].pace.window' is not a duration: 'soon'")
        expect("name: paced-never", "'receivers[20].pace.window' must be longer than 0s")
        expect("name: wecom-signed", "unknown key 'receivers[21].secret_file'")

        fixture.expectProblem(
            problems, inChain: true, at: "receivers: [voice-incomplete]",
            "station 'wgxz' has receiver 'voice-incomplete' (aliyun_voice) but no contact with a phone: it would call nobody")
        fixture.expectProblem(
            problems, inChain: true, at: "receivers: [twice, twice]", "street 'yongquan' names receiver 'twice' twice")
        fixture.expectProblem(
            problems, inChain: true, at: "receivers: [sms-incomplete]",
            "community 'c1' has receiver 'sms-incomplete' (aliyun_sms) but no contact with a phone: it would text nobody")
        fixture.expectProblem(
            problems, inChain: true, at: "receivers: [grid-wechat]",
            "grid 'g1' names receiver 'grid-wechat', which 'receivers' in \(fixture.mainFile.path) does not declare (it declares")

        #expect(problems.count == 29, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func noProblemQuotesASecret() throws {
        let fixture = try Self.brokenFixture()
        let problems = fixture.problems()
        #expect(problems.count > 20)
        let leaked = problems.map(\.description).filter { $0.contains("SECRET") }
        #expect(leaked.isEmpty, "secrets quoted in:\n\(leaked.joined(separator: "\n"))")
    }

    @Test func noDescriptionOrWarningQuotesASecret() throws {
        let fixture = try ReceiverFixture(
            ReceiverConfigurationTests.everyKind.replacingOccurrences(of: "https://open.feishu.cn", with: "http://open.feishu.cn")
        )
        try ReceiverConfigurationTests.writeEverything(fixture)
        let configuration = try fixture.load()
        #expect(configuration.warnings.count == 1)
        var shown = configuration.receivers.map { "\($0)" } + configuration.warnings.map(\.warningDescription)
        shown.append(String(describing: configuration.answer))
        shown.append("\(configuration.receivers)")
        for (_, secret) in ReceiverConfigurationTests.secrets {
            let value = secret.trimmingCharacters(in: .whitespacesAndNewlines)
            let core = value.split(separator: "=").last.map(String.init) ?? value
            for text in shown {
                #expect(!text.contains(value) && !text.contains(core), "a secret in: \(text)")
            }
        }
        #expect(!shown.joined().contains("hook-id"), "a robot's URL holds its key")
    }

    /// A secret file group or others may read is refused, and the problem says how to fix it.
    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func aSecretFileOthersMayOpenIsRefused(mode: Int) throws {
        let fixture = try ReceiverFixture(
            """
            receivers:
              - { name: duty-desk, type: webhook, url: "https://duty.example.org/hook", secret_file: secrets/duty.whsec }
            """, chain: ReceiverConfigurationTests.chainWithoutReceivers)
        try fixture.secret("duty.whsec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", mode: mode)
        let problems = fixture.problems()
        let path = fixture.folder.appendingPathComponent("secrets/duty.whsec").path
        fixture.expectProblem(
            problems, at: "name: duty-desk",
            "'receivers[0].secret_file' secrets/duty.whsec: group or others may open it (mode \(String(format: "%04o", mode))): "
                + "chmod 600 \(path) (owned by the account smokegated runs as)")
        #expect(problems.count == 1, "\(problems)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(fixture.problems().isEmpty)
    }

    /// Skipped as root, who reads any file.
    @Test(.enabled(if: getuid() != 0, "root reads any file"))
    func anUnreadableSecretFileIsNamed() throws {
        let fixture = try ReceiverFixture(
            """
            receivers:
              - { name: grid-wecom, type: wecom, url_file: secrets/locked.url }
            """, chain: ReceiverConfigurationTests.chainWithoutReceivers)
        try fixture.secret("locked.url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", mode: 0o000)
        fixture.expectProblem(
            fixture.problems(), at: "name: grid-wecom",
            "'receivers[0].url_file' secrets/locked.url: cannot be read (check its owner and permissions)")
    }
}
