import Foundation
import SmokeGateCore
import SmokeGateTestSupport
import Testing

/// Every clock time the console prints carries its UTC offset: a duty officer reading a
/// server set to UTC beside timeline notes in UTC must not read a fire's hour wrong.
@Suite struct ConsoleTimeZoneTests {
    /// 2026-11-22T08:00:00Z: 16:00 in Beijing.
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)

    /// Clock times in `text` printed without an offset after them.
    func bareTimes(in text: String) -> [String] {
        text.matches(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?! [+-]\d{2}:\d{2})/).map { String(text[$0.range]) }
    }

    func history() throws -> ConsoleHistory {
        let history = try ConsoleHistory()
        try history.send(.alarm, from: ["det-1"], at: t0)
        _ = try history.store.acknowledge(1, by: "王伟", note: "已到场", at: t0.addingTimeInterval(240), desk: history.desk)
        _ = try history.store.addSilence(
            .grid("yq-c01-g01"), reason: "线路改造", by: "李娜", osUser: nil, from: t0, until: Date().addingTimeInterval(86_400))
        return history
    }

    @Test(arguments: [
        ("Asia/Shanghai", "2026-11-22 16:00:00 +08:00", "2026-11-22 16:04:00 +08:00"),
        ("UTC", "2026-11-22 08:00:00 +00:00", "2026-11-22 08:04:00 +00:00"),
    ])
    func showPrintsEveryTimeWithItsOffset(zone: String, opened: String, acknowledged: String) async throws {
        let history = try history()
        let shown = try await BinaryProcess.run("smokegate", ["show", "1"] + history.config, environment: ["TZ": zone])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("opened    \(opened) ("), "\(shown.stdout)")
        #expect(shown.stdout.contains("acked     by 王伟 at \(acknowledged)"), "\(shown.stdout)")
        let timeline = shown.stdout.split(separator: "\n").filter { $0.hasPrefix("2026-") }
        #expect(timeline.count == 3 && timeline[0].hasPrefix("\(opened)  opened"), "\(shown.stdout)")
        #expect(bareTimes(in: shown.stdout).isEmpty, "a time without its zone: \(shown.stdout)")

        let json = try await BinaryProcess.run("smokegate", ["show", "1", "--json"] + history.config, environment: ["TZ": zone])
        #expect(json.stdout.contains(#""opened_at" : "2026-11-22T08:00:00.000Z""#), "JSON stays RFC 3339 in UTC")
    }

    @Test func silenceListAndReportPrintTimesWithTheirOffset() async throws {
        let history = try history()
        let environment = ["TZ": "Asia/Shanghai"]
        let listed = try await BinaryProcess.run("smokegate", ["silence", "list"] + history.config, environment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("2026-11-22 16:00:00 +08:00"), "\(listed.stdout)")
        #expect(bareTimes(in: listed.stdout).isEmpty, "a time without its zone: \(listed.stdout)")

        let report = try await BinaryProcess.run(
            "smokegate", ["report", "--since", "7d"] + history.config, environment: environment)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("fires opened since 20") && report.stdout.contains("+08:00 (7d)"), "\(report.stdout)")
        #expect(bareTimes(in: report.stdout).isEmpty, "a time without its zone: \(report.stdout)")
    }
}
