import Foundation
import SmokeGateCore
import SmokeGateReceivers
import Testing

/// The Chinese card the chat robots carry: what a grid worker needs to act on, and the link.
@Suite struct CallTextTests {
    let text = CallText(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    @Test func aFireCallCarriesWhatWhereWhoTheCircleAndTheLink() {
        let card = text.markdown([CallCards.fire()])
        for expected in [
            "### 【火警】通知", "**地址**：幸福小区3栋2单元501", "**场所**：居民住宅", "**网格**：g-07", "第七网格（网格）",
            "**时间**：2026-11-22 16:00:00", "张伟 13800000000", "值班员1 13800000001", "**疏散方向**：向东侧楼梯疏散",
            "**避难场所**：小区中心广场", "**救援路线**：由幸福路东门进入", "**原因**：smoke alarm", "**事件编号**：42",
            "[点击查看并确认](\(CallCards.link))",
        ] {
            #expect(card.contains(expected), "missing \(expected)")
        }
    }

    @Test func kindsAndActionsAreInChinese() {
        #expect(["fire", "fault", "tamper", "low_battery", "offline"].map(CallText.kindName) == ["火警", "故障", "防拆", "低电量", "离线"])
        #expect(["notify", "ack", "resolve", "call_failed"].map(CallText.actionName) == ["通知", "已确认", "已处置", "呼叫失败"])
    }

    @Test func aGroupedCallSaysHowManyDetectors() {
        #expect(text.markdown([CallCards.fault()]).contains("**同组探测器**：12 个"))
    }

    @Test func mergedCallsAreANumberedListInTheOrderGiven() throws {
        let calls = [
            CallCards.fire(incident: 1, address: "一号楼"), CallCards.fire(incident: 2, address: "二号楼"),
            CallCards.fault(incident: 3),
        ]
        let card = text.markdown(calls)
        #expect(card.hasPrefix("### 3 条呼叫：火警 2、故障 1"))
        let positions = try ["**1. 【火警】通知**", "一号楼", "**2. 【火警】通知**", "二号楼", "**3. 【故障】通知**", "安康苑5栋"].map {
            try #require(card.range(of: $0)?.lowerBound, "missing \($0)")
        }
        #expect(positions == positions.sorted())
        #expect(card.components(separatedBy: "点击查看并确认").count == 4)
    }

    @Test func aNoticeWithoutALinkShowsNone() {
        var notice = CallCards.fire(link: nil)
        notice.action = "ack"
        notice.by = "张伟"
        let card = text.markdown([notice])
        #expect(card.hasPrefix("### 【火警】已确认"))
        #expect(card.contains("**确认人**：张伟"))
        #expect(!card.contains("]("))
    }

    /// One call too long for the vendor loses its least important lines, never its link.
    @Test func anOversizedCallIsShortenedKeepingAddressAndLink() {
        let huge = CallCards.fire(contacts: 300)
        #expect(text.markdown([huge]).utf8.count > 4096)
        let card = text.markdown([huge], limit: 4096)
        #expect(card.utf8.count <= 4096)
        #expect(card.contains("幸福小区3栋2单元501"))
        #expect(card.contains("[点击查看并确认](\(CallCards.link))"))
        #expect(card.contains("内容过长"))
    }
}
