/// A quick look at a payload's bytes, on the network thread, for what certainly cannot open an
/// incident. No allocation and no validation: it walks the bytes once, finds every `"key":`
/// at any depth, and judges the values that matter. It is conservative: an escape anywhere, a
/// value it cannot read at a glance, or a key it does not find means "might".
enum RoutineScan {
    /// A native payload whose every `type` is the literal `"heartbeat"`.
    static func isNativeHeartbeat(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var sawType = false
        let clean = keys(bytes) { key, value in
            guard equals(key, "type") else { return true }
            sawType = true
            return starts(bytes, at: value, with: "\"heartbeat\"")
        }
        return clean && sawType
    }

    /// A Zigbee2MQTT state with every raising flag false (or null), a smoke state that is not
    /// an alarm, no failed self-test, and a battery that is not low by flag or by charge.
    static func isQuietZigbeeState(_ bytes: UnsafeRawBufferPointer, lowBatteryPercent: Double) -> Bool {
        var lowFlag = false
        var charge: Double?? = .none
        let clean = keys(bytes) { key, value in
            if raisingFlags.contains(where: { equals(key, $0) }) {
                return starts(bytes, at: value, with: "false") || starts(bytes, at: value, with: "null")
            }
            if equals(key, "smoke_state") {
                return starts(bytes, at: value, with: "\"normal\"") || starts(bytes, at: value, with: "\"detecting\"")
            }
            if equals(key, "self_test_result") {
                return starts(bytes, at: value, with: "\"success\"") || starts(bytes, at: value, with: "\"checking\"")
            }
            if equals(key, "battery_state") {
                lowFlag = true
                return !starts(bytes, at: value, with: "\"low\"")
            }
            if equals(key, "battery_low") {
                lowFlag = true
                return starts(bytes, at: value, with: "false") || starts(bytes, at: value, with: "null")
            }
            if equals(key, "battery") { charge = .some(number(bytes, at: value)) }
            return true
        }
        guard clean else { return false }
        guard !lowFlag, case .some(let reading) = charge else { return true }
        guard let reading else { return false }
        return reading > lowBatteryPercent
    }

    /// A CTWing push whose every `Alarm_Status` is 7, "normal".
    static func isNormalCTWing(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var sawStatus = false
        let clean = keys(bytes) { key, value in
            guard equals(key, "Alarm_Status") else { return true }
            sawStatus = true
            return number(bytes, at: value) == 7
        }
        return clean && sawStatus
    }

    private static let raisingFlags: [StaticString] = [
        "smoke", "tamper", "fault", "device_fault", "trouble", "fault_alarm",
    ]

    /// Calls `visit` with each key and the index where its value starts, until it returns
    /// false; false if it did, or if the bytes hold a backslash (escapes are not judged here).
    private static func keys(
        _ bytes: UnsafeRawBufferPointer, _ visit: (UnsafeRawBufferPointer, Int) -> Bool
    ) -> Bool {
        let quote = UInt8(ascii: "\""), colon = UInt8(ascii: ":"), backslash = UInt8(ascii: "\\")
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == backslash { return false }
            guard byte == quote else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, bytes[end] != quote {
                if bytes[end] == backslash { return false }
                end += 1
            }
            guard end < bytes.count else { return true }
            var after = skipSpace(bytes, from: end + 1)
            if after < bytes.count, bytes[after] == colon {
                after = skipSpace(bytes, from: after + 1)
                let key = UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<end])
                if !visit(key, after) { return false }
            }
            index = end + 1
        }
        return true
    }

    private static func skipSpace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
        return index
    }

    private static func equals(_ key: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        key.count == literal.utf8CodeUnitCount
            && key.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether `literal` stands at `index`, ended there (not the start of a longer word).
    private static func starts(_ bytes: UnsafeRawBufferPointer, at index: Int, with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count,
            UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)])
                .elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: count))
        else { return false }
        guard index + count < bytes.count else { return true }
        let next = bytes[index + count]
        return !(next.isASCIIAlphanumeric || next == UInt8(ascii: "_") || next == UInt8(ascii: "."))
    }

    /// A plain non-negative number at `index` (digits and at most one point), or nil for
    /// anything else (a sign, an exponent, a string): read without making a string.
    private static func number(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Double? {
        var value = 0.0
        var scale: Double?
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if byte.isASCIIDigit {
                let digit = Double(byte - UInt8(ascii: "0"))
                if let current = scale {
                    value += digit * current
                    scale = current / 10
                } else {
                    value = value * 10 + digit
                }
            } else if byte == UInt8(ascii: "."), scale == nil {
                scale = 0.1
            } else {
                break
            }
            end += 1
        }
        guard end > index, end - index < 20,
            end == bytes.count || !(bytes[end].isASCIIAlphanumeric || bytes[end] == UInt8(ascii: "."))
        else {
            return nil
        }
        return value
    }
}

extension UInt8 {
    fileprivate var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isASCIIAlphanumeric: Bool {
        isASCIIDigit || (self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "z"))
    }
}
