import Foundation
import SmokeGateCore
import Testing

/// Platform pushes from the fixture folders (`ctwing/`, `onenet/`, `iotda/`): one file is one
/// HTTP body, replayed the way the daemon decodes a push, with the registry's platform ids.
struct PushReplayer {
    var normalizer = MessageNormalizer(sources: [])
    var conditions: [String: DeviceCondition] = [:]
    /// `devices.csv`'s `platform_id` column: platform id → registry device.
    var platformIDs: [String: String] = [:]

    init(thingModels: ThingModelBook = .builtIn, platformIDs: [String: String] = [:]) {
        normalizer = MessageNormalizer(sources: [], thingModels: thingModels)
        self.platformIDs = platformIDs
    }

    static func body(_ path: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return Array(try Data(contentsOf: url))
    }

    static func message(_ body: [UInt8], format: PayloadFormat) -> RawMessage {
        RawMessage(topic: "push:" + format.rawValue, payload: body, receivedAt: FixtureLoader.testEpoch)
    }

    /// Decodes the fixture at `path` (its folder names the format).
    mutating func push(_ path: String) throws -> DecodeOutcome {
        let format = try #require(PayloadFormat(rawValue: String(path.prefix { $0 != "/" })))
        return push(Self.message(try Self.body(path), format: format), format: format)
    }

    mutating func push(_ text: String, format: PayloadFormat) -> DecodeOutcome {
        push(Self.message(Array(text.utf8), format: format), format: format)
    }

    mutating func push(_ message: RawMessage, format: PayloadFormat) -> DecodeOutcome {
        let (snapshot, ids) = (conditions, platformIDs)
        let context = DecodingContext(condition: { snapshot[$0] ?? [] }, deviceForPlatformID: { ids[$0] })
        let outcome = normalizer.normalize(push: message, format: format, context: context)
        if case .accepted(let decoded) = outcome {
            conditions[decoded.deviceID] = decoded.condition(after: conditions[decoded.deviceID] ?? [])
        }
        return outcome
    }
}

extension DecodeOutcome {
    var decoded: DecodedMessage? {
        if case .accepted(let decoded) = self { return decoded }
        return nil
    }
}
