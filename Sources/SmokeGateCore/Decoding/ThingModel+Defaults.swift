/// The built-in table: what the common NB-IoT smoke detectors' properties mean when the
/// operator has said nothing about their product. `docs/thing-models.md` lists which entries
/// are confirmed and which are guesses; a wrong guess is cheap, because a product's table in
/// the configuration replaces any property here.
///
/// Where a code is unknown the table leans to the side of a fire (contract field rule 4): any
/// `smoke_state` other than 0 is an alarm, any `error` other than 0 a fault.
extension ThingModel {
    public static let builtIn = ThingModel(
        states: [
            // CTWing's classic smoke profile (the contract's table; confirmed from public pushes).
            "Alarm_Status": Codes([
                "1": .event(.alarm), "2": .event(.mute), "4": .event(.lowBattery), "5": .event(.fault),
                "7": .normal, "10": .event(.tamper), "11": .event(.tamperClear), "12": .event(.online),
                "14": .event(.test),
            ]),
            // Thing-model smoke detectors (HS2SA, 633PH style): 0 normal, 1 alarm (unconfirmed
            // beyond those two; anything else is taken for an alarm).
            "smoke_state": Codes(["0": .event(.alarmClear), "1": .event(.alarm)], otherwise: .event(.alarm)),
            // Text spellings some vendors and the Tuya-style models use (unconfirmed per product).
            "smoke_sensor_status": Codes(["normal": .event(.alarmClear), "alarm": .event(.alarm)], otherwise: .event(.alarm)),
            "tamper_alarm": Codes(["0": .event(.tamperClear), "1": .event(.tamper)]),
            "temper_alarm": Codes(["0": .event(.tamperClear), "1": .event(.tamper)]),
            // 0 no fault; any other code is the vendor's fault number (unconfirmed which).
            "error": Codes(["0": .event(.faultClear)], otherwise: .event(.fault)),
            "error_code": Codes(["0": .event(.faultClear)], otherwise: .event(.fault)),
            "fault": Codes(["0": .event(.faultClear), "1": .event(.fault)]),
            // 0 normal, 1 low (seen in CTWing eventReport pushes; unconfirmed beyond that).
            "battery_state": Codes([
                "0": .event(.batteryRestored), "1": .event(.lowBattery), "low": .event(.lowBattery),
                "middle": .event(.batteryRestored), "high": .event(.batteryRestored), "normal": .event(.batteryRestored),
            ]),
            "mute_state": Codes(["0": .event(.heartbeat), "1": .event(.mute)]),
            "self_test": Codes(["0": .event(.heartbeat), "1": .event(.test)]),
        ],
        readings: [
            "Battery_Level": .battery, "battery_value": .battery, "battery_percentage": .battery,
            "RSRP": .signal, "signalPower": .signal, "signal_strength": .signal, "rsrp": .signal,
            "smoke_value": .smoke, "smoke_sensor_value": .smoke,
            "temperature": .temperature,
        ])
}
