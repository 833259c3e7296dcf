import SmokeGateCore

/// The Chinese words the answer page uses for the gateway's values: what grid workers and
/// duty desks call these things.
enum AnswerWords {
    static func kind(_ kind: IncidentKind) -> String {
        switch kind {
        case .fire: "火警"
        case .fault: "故障"
        case .tamper: "防拆报警"
        case .lowBattery: "低电量"
        case .offline: "离线"
        }
    }

    static func state(_ state: IncidentState) -> String {
        switch state {
        case .open: "未确认"
        case .acknowledged: "已确认"
        case .resolved: "已处置完毕"
        }
    }

    static func tier(_ tier: Tier) -> String {
        switch tier {
        case .grid: "网格"
        case .community: "社区"
        case .street: "街道"
        case .station: "消防救援站"
        }
    }

    static func action(_ action: TimelineEntry.Action) -> String {
        switch action {
        case .opened: "报警立案"
        case .silenced: "已屏蔽，未呼叫"
        case .called: "呼叫"
        case .alarmRepeated: "再次报警"
        case .alarmNearby: "同场所其他探测器报警"
        case .alarmCleared: "烟雾消散"
        case .muted: "已消音"
        case .offline: "探测器失联"
        case .repeated: "再次上报"
        case .acknowledged: "确认"
        case .resolved: "处置完毕"
        case .rearmed: "再次报警，重新升级"
        case .reminded: "提醒"
        case .released: "屏蔽结束，呼叫"
        case .callFailed: "呼叫未送达，已报街道"
        }
    }

    static func channel(_ channel: String) -> String {
        switch channel {
        case "link": "链接"
        case "sms": "短信"
        case "cli": "值班终端"
        default: channel
        }
    }

    /// The causes `smokegate resolve` suggests, as the page's select offers them.
    static let causes: [(value: String, label: String)] = [
        ("false_alarm", "误报"), ("cooking", "烹饪油烟"), ("test", "测试"), ("real_fire", "真实火情"),
        ("device_fault", "设备故障"),
    ]
}
