/// Which registered detector a platform push speaks of. A platform names a device two ways:
/// its own id (CTWing `deviceId`, IoTDA `device_id`, an old OneNET `dev_id`), which the registry
/// may carry as `platform_id`, and a natural id (the IMEI, IoTDA's `node_id`, OneNET's device
/// name). Where the operator registered the platform's id, that row is the device, for every
/// message type alike; otherwise the natural id is.
enum PlatformDevice {
    /// The device, or the rejection that says why the push names none: `unregistered` is the
    /// reason when only an unregistered platform id names it (`unroutable` where the message
    /// type never carries more; `missing_field` where the natural id should have been there).
    static func resolve(
        platformID: String?, platformField: String, natural: String?, naturalField: String, context: DecodingContext,
        requireIMEI: Bool = false, unregistered: Rejection.Reason = .missingField
    ) throws(Rejection) -> String {
        if let platformID, let registered = context.deviceForPlatformID(platformID), !registered.isEmpty {
            return registered
        }
        if let natural {
            if requireIMEI {
                guard natural.utf8.count == 15,
                    natural.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else {
                    throw Rejection(.invalidField, "'\(naturalField)' must be 15 digits, got '\(natural.prefix(40))'")
                }
            } else {
                try checked(natural, field: naturalField)
            }
            return natural
        }
        if let platformID {
            throw Rejection(
                unregistered,
                "\(platformField) '\(FieldNotes.shown(text: platformID, quoted: false))' is not a registered platform_id, and the push names no \(naturalField)"
            )
        }
        throw Rejection(.missingField, "'\(naturalField)' is required: it is the device id")
    }

    /// A natural id the gateway can store and show: not too long, no control characters.
    private static func checked(_ id: String, field: String) throws(Rejection) {
        guard id.utf8.count <= 128,
            !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw Rejection(.invalidField, "'\(field)' is not a device id: \(FieldNotes.shown(text: id, quoted: true))")
        }
    }
}
