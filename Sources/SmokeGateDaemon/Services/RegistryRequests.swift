import SmokeGateCore
import SmokeGateStore
import SmokeGateSync
import Synchronization

/// The registry `RegistryMirror` is to write next: a reload hands over each registry it puts
/// in force, and only the newest is written (an older one half written is overwritten).
final class RegistryRequests: Sendable {
    private let next = Mutex<(devices: DeviceRegistry, changes: RegistryChanges?)?>(nil)
    /// Rung when a registry is handed over.
    let bell = Doorbell()

    /// Hands over `devices`, with its `changes` where they are known already.
    func submit(_ devices: DeviceRegistry, changes: RegistryChanges? = nil) {
        next.withLock { $0 = (devices, changes) }
        bell.ring()
    }

    /// Takes the registry to write, if one waits.
    func take() -> (DeviceRegistry, RegistryChanges?)? {
        next.withLock { next in
            defer { next = nil }
            return next
        }
    }

    /// Whether a registry newer than the one being written waits.
    var hasNewer: Bool { next.withLock { $0 != nil } }
}
