/// Reading a report's properties through a table: what every platform decoder does with
/// `serviceData`, `params` or `properties` once it has found them.
extension ThingModel {
    /// What one set of properties says.
    struct Report {
        /// The events, in the order they were found, each with the code that made it
        /// (`smoke_state=1`), which the decoders put into the event's identity.
        var events: [(kind: EventKind, code: String)] = []
        var reading = DeviceReading()
        /// State properties whose value the table does not know, as `identifier=value`.
        var unknown: [String] = []
        /// The code of every state property present, in payload order, known or not: with the
        /// platform's time, what tells a retried push from a new one.
        var stateCodes: [String] = []
        /// Whether any property of the table (state or reading) was present.
        var understood = false

        /// Rejects a report the table could not read: no property it knows, or codes it does not
        /// know and nothing else to act on. Both are kept with the reason, where the operator sees
        /// them, rather than taken for proof of life.
        func check(properties: PushFields, product: String?) throws(Rejection) {
            let table = product.map { "product \($0)'s thing model" } ?? "the default thing model"
            guard understood else {
                let names = properties.object.members.prefix(8).map { FieldNotes.shown(text: $0.key, quoted: false) }
                    .joined(separator: ", ")
                throw Rejection(
                    .unknownType,
                    "'\(properties.path.isEmpty ? "the report" : String(properties.path.dropLast()))' has no property \(table) knows (\(names.isEmpty ? "none" : names)); add them under thing_models"
                )
            }
            if events.isEmpty, let unknown = unknown.first {
                throw Rejection(.unknownType, "unknown code \(unknown) in \(table)")
            }
        }
    }

    /// Reads `properties` (one level: `name: value`, or OneNET's `name: {"value": …}`) with this
    /// table. `condition` is the detector's condition before this report, updated as events are
    /// found, so that a clear counts only while its condition is in force.
    func read(
        _ properties: PushFields, condition: inout DeviceCondition, notes: inout FieldNotes
    ) -> Report {
        var report = Report()
        // Readings first, in a fixed order (by measurement, then name), so notes come out the
        // same for the same payload whatever its key order.
        var present: [(identifier: String, kind: ThingReading, value: JSONValue)] = []
        for member in properties.object.members {
            guard let kind = readings[member.key] else { continue }
            // A repeated key means its last value, as everywhere else.
            present.removeAll { $0.identifier == member.key }
            present.append((member.key, kind, member.value))
        }
        present.sort { ($0.kind.order, $0.identifier) < ($1.kind.order, $1.identifier) }
        for (identifier, kind, value) in present {
            guard let value = Self.unwrapped(value) else { continue }
            report.understood = true
            apply(kind, value, name: properties.path + identifier, to: &report.reading, notes: &notes)
        }
        // States in payload order: a report that says tamper then alarm means both.
        for member in properties.object.members {
            guard let value = Self.unwrapped(member.value), let found = meaning(of: member.key, value: value) else {
                continue
            }
            report.understood = true
            let code = member.key + "=" + (Self.code(value) ?? value.typeName)
            report.stateCodes.append(code)
            guard let meaning = found else {
                report.unknown.append(code)
                notes.drop(properties.path + member.key, PushFields.shown(value) + " is not in the product's code table")
                continue
            }
            guard let kind = Self.event(for: meaning, condition: condition) else { continue }
            condition = condition.applying(kind)
            report.events.append((kind, code))
        }
        return report
    }

    /// The event a meaning makes for a detector in `condition`, or nil for proof of life.
    static func event(for meaning: ThingMeaning, condition: DeviceCondition) -> EventKind? {
        switch meaning {
        case .normal:
            if condition.contains(.smoke) { return .alarmClear }
            if condition.contains(.fault) { return .faultClear }
            return nil
        case .event(.heartbeat): return nil
        case .event(.alarmClear): return condition.contains(.smoke) ? .alarmClear : nil
        case .event(.faultClear): return condition.contains(.fault) ? .faultClear : nil
        case .event(.tamperClear): return condition.contains(.tamper) ? .tamperClear : nil
        case .event(.batteryRestored): return condition.contains(.batteryLow) ? .batteryRestored : nil
        case .event(let kind): return kind
        }
    }

    /// A property's value: itself, or the `value` of OneNET's `{"value": …, "time": …}`.
    static func unwrapped(_ value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        if case .object(let inner) = value, let wrapped = inner["value"] { return wrapped == .null ? nil : wrapped }
        if case .null = value { return nil }
        if case .string(let text) = value, PushFields.saysNothing(text) { return nil }
        return value
    }

    private func apply(
        _ kind: ThingReading, _ value: JSONValue, name: String, to reading: inout DeviceReading, notes: inout FieldNotes
    ) {
        let number: Double?
        switch value {
        case .number(let value): number = value
        case .string(let text): number = Double(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, number.isFinite else {
            notes.drop(name, PushFields.shown(value) + " is not a number")
            return
        }
        switch kind {
        case .battery, .signal:
            let range = kind == .battery ? 0...100 : -200...200
            guard number.rounded() == number else {
                notes.drop(name, PushFields.shown(value) + " is not a whole number")
                return
            }
            guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
                notes.drop(name, PushFields.shown(value) + " is outside \(range.lowerBound)–\(range.upperBound)")
                return
            }
            if kind == .battery {
                reading.battery = reading.battery ?? Int(number)
            } else {
                reading.signal = reading.signal ?? Int(number)
            }
        case .smoke: reading.smoke = reading.smoke ?? number
        case .temperature: reading.temperature = reading.temperature ?? number
        }
    }
}

extension ThingReading {
    /// Readings are read battery first, then signal, smoke and temperature.
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
