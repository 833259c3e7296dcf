/// Which messages the gateway may set aside for a worker thread, unacknowledged by nothing.
///
/// A QoS 0 message has no acknowledgement to hold back, so the gateway may take it off the
/// socket and decode it later; but a message held in memory is lost if the daemon is killed.
/// So only a message that certainly cannot open an incident is set aside; one that might (an
/// alarm, a fault, tamper, a low battery, an offline report) is committed before the next
/// message is read, whatever its QoS. The test is conservative: anything unclear is "might".
extension MessageNormalizer {
    /// Whether `message` certainly opens no incident, whatever the detector's condition. Cheap
    /// enough for the network thread: one pass over the bytes, nothing allocated (`RoutineScan`).
    public func cannotOpenIncident(_ message: RawMessage) -> Bool {
        guard message.payload.count <= Self.maximumPayloadBytes, let (format, _) = route(message.topic) else { return true }
        return message.payload.withUnsafeBytes { bytes in
            switch format {
            case .native:
                return RoutineScan.isNativeHeartbeat(bytes)
            case .ctwing:
                guard let words = ctwingRoutineWords, RoutineScan.isNormalCTWing(bytes) else { return false }
                return !words.contains { Self.occurs($0, in: bytes) }
            case .zigbee2mqtt where message.topic.hasSuffix("/availability"):
                // "online" or {"state":"online"}: anything that says offline might open a job.
                return !String(decoding: bytes, as: UTF8.self).lowercased().contains("offline")
            case .onenet, .iotda:
                // Push-only formats never come off the broker; were one routed here, "might".
                return false
            case .zigbee2mqtt:
                return RoutineScan.isQuietZigbeeState(bytes, lowBatteryPercent: Double(Zigbee2MQTTDecoder.lowBatteryPercent))
            }
        }
    }
}

extension MessageNormalizer {
    /// The quoted words whose mere presence makes a CTWing push "might open an incident", or
    /// nil when no CTWing push is ever routine: a report of `Alarm_Status` 7 is routine only
    /// while every product's table says 7 is "normal", and only if it carries no other state
    /// property a table knows (`smoke_state`…) and is no event, status or batch report.
    static func routineWords(_ book: ThingModelBook) -> [[UInt8]]? {
        let tables = [book.standard] + Array(book.products.values)
        for table in tables {
            guard let seven = table.meaning(of: "Alarm_Status", value: .number(7)), seven == .normal else { return nil }
        }
        let types = ["eventReport", "deviceOnlineOfflineReport", "dataReportTupUnion"]
        let states = book.stateIdentifiers.subtracting(["Alarm_Status"]).sorted()
        return (types + states).map { Array("\"\($0)\"".utf8) }
    }

    /// Whether `word` occurs anywhere in `bytes` (as a key or a value: either means "might").
    static func occurs(_ word: [UInt8], in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = word.first, bytes.count >= word.count else { return false }
        var start = 0
        while start <= bytes.count - word.count {
            if bytes[start] == first {
                var index = 1
                while index < word.count, bytes[start + index] == word[index] { index += 1 }
                if index == word.count { return true }
            }
            start += 1
        }
        return false
    }
}
