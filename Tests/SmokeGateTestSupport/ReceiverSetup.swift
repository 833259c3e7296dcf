import Foundation

/// Receivers pointed at the loopback doubles, for daemon tests, end-to-end tests and
/// benchmarks: the secret files (mode 0600, as `--check-config` requires), the `receivers:`
/// and `answer:` blocks of the main file, and the test street's chain naming them. The grid
/// is reached by a WeCom robot and texts, the community by texts, the street's command centre
/// by its webhook and a DingTalk robot, the station by a Feishu bot.
public struct ReceiverSetup {
    /// What to append to the main file (`TestConfiguration`'s `extra`).
    public let mainExtra: String
    /// The test street with `receivers:` on its units.
    public let chain: String
    /// The answer key, to make or check links in tests.
    public let answerKey: String

    /// Writes the secrets into `folder`; `doublesPort` is where `ReceiverDoubles` listens,
    /// `httpPort` the daemon's `http.listen` (needed for answers), `pace` a tighter pace for the
    /// grid's robot (`{ count: 2, window: 1m }`), `gridReceivers` the grid's receiver names.
    public init(
        folder: URL, doublesPort: Int, httpPort: Int? = nil, pace: String? = nil,
        gridReceivers: [String] = ["grid-wecom", "sms"], timeout: String = "10s",
        credentials: DoubleCredentials = DoubleCredentials()
    ) throws {
        let secrets = folder.appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        let base = "http://127.0.0.1:\(doublesPort)"
        answerKey = "smokegate-test-answer-key-0123456789-abcdefghijklmnop"
        let files: [(String, String)] = [
            ("grid-wecom.url", "\(base)/cgi-bin/webhook/send?key=grid-robot"),
            ("ding.url", "\(base)/robot/send?access_token=street-robot"),
            ("ding.secret", credentials.dingtalkSecret ?? ""),
            ("feishu.url", "\(base)/open-apis/bot/v2/hook/station-bot"),
            ("feishu.secret", credentials.feishuSecret ?? ""),
            ("aliyun.secret", credentials.aliyunAccessKeySecret),
            ("duty.whsec", credentials.webhookSecret ?? ""),
            ("answer.key", answerKey),
            ("sms-reply.path", "sms-replies-7f3c9a2b81d04e5f"),
        ]
        for (name, content) in files {
            let path = secrets.appendingPathComponent(name).path
            try (content + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)
        }
        let pacing = pace.map { ", pace: \($0)" } ?? ""
        var main = """
            receivers:
              - { name: grid-wecom, type: wecom, url_file: secrets/grid-wecom.url, timeout: \(timeout)\(pacing) }
              - { name: street-ding, type: dingtalk, url_file: secrets/ding.url, secret_file: secrets/ding.secret, timeout: \(timeout) }
              - { name: station-feishu, type: feishu, url_file: secrets/feishu.url, secret_file: secrets/feishu.secret, timeout: \(timeout) }
              - { name: sms, type: aliyun_sms, endpoint: "\(base)/sms/", access_key_id: \(credentials.aliyunAccessKeyID),
                  access_key_secret_file: secrets/aliyun.secret, sign_name: 涌泉街道, template_code: SMS_000000, timeout: \(timeout) }
              - { name: desk-hook, type: webhook, url: "\(base)/hooks/duty-desk", secret_file: secrets/duty.whsec, timeout: \(timeout) }

            """
        if let httpPort {
            main += """
                http:
                  listen: 127.0.0.1:\(httpPort)
                answer:
                  base_url: "http://127.0.0.1:\(httpPort)"
                  secret_file: secrets/answer.key
                  valid_for: 1h
                  sms_reply_secret_file: secrets/sms-reply.path

                """
        }
        mainExtra = main
        chain = """
            stations:
              - id: wgxz
                name: 武广高铁西站消防救援站
                contacts: [{ id: wgxz-duty, name: 值班室, phone: "0735-0000000" }]
                receivers: [station-feishu]
            streets:
              - id: yongquan
                name: 涌泉街道
                station: wgxz
                contacts: [{ id: yq-duty, name: 应急办值班, phone: "13800000000" }]
                receivers: [desk-hook, street-ding]
                communities:
                  - id: yq-c01
                    name: 某社区
                    contacts: [{ id: yq-c01-duty, name: 社区值班, phone: "13800000001" }]
                    receivers: [sms]
                    grids:
                      - id: yq-c01-g01
                        name: 第一网格
                        contacts: [{ id: yq-c01-g01-w, name: 网格员, phone: "13800000002" }]
                        receivers: [\(gridReceivers.joined(separator: ", "))]
                        evacuation:
                          direction: 向东经消防通道疏散至广场
                          shelter: 社区文化广场
                          rescue_route: 北湖路 -> 东门 -> 3号楼
            """
    }

    /// Detectors for tests that need many fires at once: `count` detectors in the test grid,
    /// each at a venue of its own (so none escalates another).
    public static func devices(_ count: Int) -> String {
        "device_id,grid,address,venue,venue_type,profile\n"
            + (1...count).map { "fire-\($0),yq-c01-g01,北湖路\($0)号,第\($0)户,residential," }.joined(separator: "\n")
    }
}
