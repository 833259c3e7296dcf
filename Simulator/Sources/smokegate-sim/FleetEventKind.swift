/// The events `fleet` injects.
enum FleetEventKind: String, CaseIterable {
    case alarm, alarmClear = "alarm_clear", fault, lowBattery = "low_battery", tamper, test
}
