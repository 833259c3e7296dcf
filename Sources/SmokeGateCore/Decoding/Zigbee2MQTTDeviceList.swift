/// A Zigbee2MQTT bridge's retained device list (`zigbee2mqtt/bridge/devices`: a JSON array of
/// `{friendly_name, ieee_address, type, supported, definition: {model, vendor, description,
/// exposes}}`), reduced to what the gateway needs: which friendly names are smoke detectors.
///
/// It is a directory, not an event: it says what each device is, so that the lamps, door
/// sensors and plugs sharing the bridge are not taken for unregistered detectors.
public struct Zigbee2MQTTDeviceList: Sendable, Equatable {
    /// What the list says a device is.
    public enum Kind: Sendable, Equatable {
        /// Its definition exposes a smoke property (`smoke`, `smoke_state`, `smoke_density`, …)
        /// or describes it as a smoke or fire detector.
        case smokeDetector
        /// Nothing can be told: no definition (unsupported, or its interview not finished), or
        /// a definition that exposes nothing. Heard as a detector: when in doubt it is a fire.
        case undetermined
        /// A definition that exposes properties, none of them smoke (a lamp, a door sensor, a
        /// plug), or the coordinator itself.
        case otherDevice
    }

    /// Each listed friendly name's kind.
    public private(set) var kinds: [String: Kind] = [:]

    /// An empty list (a bridge with no devices yet).
    public init() {}

    /// Reads the payload of `bridge/devices`; throws when it is not the array of objects it
    /// should be. Entries without a `friendly_name` are skipped.
    public init(payload: [UInt8]) throws(Rejection) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload)
        } catch {
            throw Rejection(.invalidJSON, "bridge device list: \(error)")
        }
        guard case .array(let entries) = value else {
            throw Rejection(.notAnObject, "the bridge device list must be a JSON array")
        }
        for entry in entries {
            guard case .object(let device) = entry, case .string(let name)? = device["friendly_name"] else { continue }
            kinds[name] = Self.kind(of: device)
        }
    }

    /// A group list (`bridge/groups`: `[{id, friendly_name, members}]`) read the same way: a
    /// group's state is its members' lamps and switches, never a detector's report.
    public init(groupsPayload payload: [UInt8]) throws(Rejection) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload)
        } catch {
            throw Rejection(.invalidJSON, "bridge group list: \(error)")
        }
        guard case .array(let entries) = value else {
            throw Rejection(.notAnObject, "the bridge group list must be a JSON array")
        }
        for entry in entries {
            guard case .object(let group) = entry, case .string(let name)? = group["friendly_name"] else { continue }
            kinds[name] = .otherDevice
        }
    }

    /// The kind of `friendlyName`, nil when the list does not name it.
    public func kind(of friendlyName: String) -> Kind? { kinds[friendlyName] }

    /// The rule (see `docs/zigbee2mqtt.md`): the coordinator is no detector; a device with no
    /// definition, or one that exposes nothing, cannot be told; otherwise a device is a smoke
    /// detector when any exposed property, at any depth of `features`, is `smoke` or starts
    /// with `smoke_`, or its description or model says smoke or fire, and another device if not.
    static func kind(of device: JSONObject) -> Kind {
        if case .string("Coordinator")? = device["type"] { return .otherDevice }
        guard case .object(let definition)? = device["definition"] else { return .undetermined }
        for key in ["description", "model"] {
            if case .string(let text)? = definition[key] {
                let lowered = text.lowercased()
                if lowered.contains("smoke") || lowered.contains("fire") { return .smokeDetector }
            }
        }
        guard case .array(let exposes)? = definition["exposes"], !exposes.isEmpty else { return .undetermined }
        return exposes.contains(where: exposesSmoke) ? .smokeDetector : .otherDevice
    }

    /// Whether an expose, or any feature nested in it, names a smoke property.
    private static func exposesSmoke(_ expose: JSONValue) -> Bool {
        guard case .object(let object) = expose else { return false }
        for key in ["property", "name"] {
            if case .string(let name)? = object[key], name == "smoke" || name.hasPrefix("smoke_") { return true }
        }
        if case .array(let features)? = object["features"] { return features.contains(where: exposesSmoke) }
        return false
    }
}
