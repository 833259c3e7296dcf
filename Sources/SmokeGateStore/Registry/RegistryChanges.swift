/// The writes that make `device` agree with a registry, numbered from 0: first the registry
/// positions to write (`changed`), then the detectors to mark unregistered (`unlisted`).
public struct RegistryChanges: Sendable {
    public let fingerprint: String
    let changed: [Int]
    let unlisted: [String]

    public var rowCount: Int { changed.count + unlisted.count }
}
