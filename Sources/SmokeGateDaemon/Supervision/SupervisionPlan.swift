import Foundation
import SmokeGateConfig
import SmokeGateCore

/// How long each detector may go unheard: its registry profile's `offline_after`, or the
/// `default` profile's for a detector outside the registry. Looked up through the registry
/// itself (one window per profile), so a million detectors add no table of their own.
struct SupervisionPlan: Sendable {
    let registry: DeviceRegistry
    /// The registry's generation in `DeviceMemory` (see `DeviceMemory.adopt`): positions in this
    /// plan's registry are the memory's slots only while the two agree.
    let generation: Int
    private let windowByProfile: [TimeInterval]
    private let fallback: TimeInterval

    init(configuration: GatewayConfiguration, generation: Int = 0) {
        registry = configuration.devices
        self.generation = generation
        fallback = configuration.profile(named: SupervisionProfile.defaultName).offlineAfter.secondsValue
        windowByProfile = configuration.devices.profileNames.map { configuration.profile(named: $0).offlineAfter.secondsValue }
    }

    func offlineAfter(_ id: String) -> TimeInterval {
        registry.position(of: id).map { offlineAfter(at: $0) } ?? fallback
    }

    /// The window of the registered detector at `position`.
    func offlineAfter(at position: Int) -> TimeInterval {
        windowByProfile[registry.profileCode(at: position)]
    }

    func isRegistered(_ id: String) -> Bool {
        registry.position(of: id) != nil
    }
}
