import Foundation
import SmokeGateCore

/// Bringing a batch of detectors into the registry: every row of the file checked first,
/// against the chain and the profiles, and nothing applied unless all of them are good.
public struct DeviceRegistryImport: Sendable {
    /// The registry once the batch is merged in: rows with a known id replaced, new ones added.
    public var merged: DeviceRegistry
    public var added: Int
    public var replaced: Int

    /// Reads and checks `file` against `configuration`; throws every problem at once.
    public init(file: String, into configuration: GatewayConfiguration) throws(ConfigurationError) {
        let log = ProblemLog()
        let incoming = DeviceRegistryLoader.load(
            file, displayName: file, chain: configuration.chain, profiles: Set(configuration.profiles.keys), log: log)
        guard log.problems.isEmpty else { throw ConfigurationError(problems: log.problems) }
        var merged = configuration.devices
        var added = 0
        for device in incoming where merged.insertOrReplace(device) { added += 1 }
        self.merged = merged
        self.added = added
        self.replaced = incoming.count - added
    }

    /// The merged registry as CSV, with the contract's header (and `platform_id` when any
    /// detector has one); fields quoted where needed.
    public var csv: String {
        let withPlatformIDs = merged.contains { $0.platformID != nil }
        let header = DeviceRegistryLoader.header.prefix(withPlatformIDs ? 7 : 6)
        let rows = merged.map { device in
            var fields = [device.deviceID, device.gridID, device.address, device.venue, device.venueType, device.profile]
            if withPlatformIDs { fields.append(device.platformID ?? "") }
            return fields.map(Self.quoted).joined(separator: ",")
        }
        return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
