import Foundation

/// One synthetic detector: its topic and what it says when all is well.
struct FleetDetector {
    let format: FleetFormat
    let id: String
    let topic: String
    let battery: Int
    let signal: Int

    init(index: Int, format: FleetFormat, prefix: String, nativeTopic: String) {
        self.format = format
        battery = 60 + index % 40
        signal = 50 + index % 40
        switch format {
        case .ctwing:
            id = String(format: "86%013d", index)
            topic = "ctwing/smoke/15014772"
        case .zigbee2mqtt:
            id = String(format: "%@-%06d", prefix, index)
            topic = "zigbee2mqtt/\(id)"
        case .native, .mix:
            id = String(format: "%@-%06d", prefix, index)
            topic = nativeTopic.replacingOccurrences(of: "{id}", with: id)
        }
    }

    /// An injected event in the detector's own format. Zigbee2MQTT detectors send the whole
    /// state that the event leaves them in; CTWing ones their platform's status code.
    func event(_ kind: FleetEventKind, sequence: Int, timestamp: Int64) -> [UInt8] {
        let text: String
        switch format {
        case .ctwing:
            let code: Int
            switch kind {
            case .alarm: code = 1
            case .alarmClear: code = 7
            case .fault: code = 5
            case .lowBattery: code = 4
            case .tamper: code = 10
            case .test: code = 14
            }
            text =
                #"{"messageType":"dataReport","IMEI":"\#(id)","timestamp":\#(timestamp),"payload":{"serviceId":"notification","serviceData":{"Alarm_Status":\#(code),"Battery_Level":\#(battery),"RSRP":\#(signal + 60)}}}"#
        case .zigbee2mqtt:
            let smoke = kind == .alarm
            text =
                #"{"battery":\#(kind == .lowBattery ? 9 : battery),"battery_low":\#(kind == .lowBattery),"linkquality":\#(200 - signal),"smoke":\#(smoke),"tamper":\#(kind == .tamper),"test":\#(kind == .test)}"#
        case .native, .mix:
            text = #"{"type":"\#(kind.rawValue)","seq":\#(sequence),"battery":\#(battery),"rssi":-\#(signal)}"#
        }
        return Array(text.utf8)
    }

    /// A heartbeat in the detector's own format.
    func heartbeat(sequence: Int) -> [UInt8] {
        let text: String
        switch format {
        case .ctwing:
            let milliseconds = Int64(Date().timeIntervalSince1970 * 1_000)
            text =
                #"{"messageType":"dataReport","IMEI":"\#(id)","timestamp":\#(milliseconds),"payload":{"serviceId":"notification","serviceData":{"Alarm_Status":7,"Battery_Level":\#(battery),"RSRP":\#(signal + 60)}}}"#
        case .zigbee2mqtt:
            text =
                #"{"battery":\#(battery),"battery_low":false,"linkquality":\#(200 - signal),"smoke":false,"tamper":false,"test":false}"#
        case .native, .mix:
            text = #"{"type":"heartbeat","seq":\#(sequence),"battery":\#(battery),"rssi":-\#(signal)}"#
        }
        return Array(text.utf8)
    }
}
