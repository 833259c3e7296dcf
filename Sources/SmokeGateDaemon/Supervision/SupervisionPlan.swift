import Foundation
import SmokeGateConfig
import SmokeGateCore

/// How long each detector may stay silent: its registry profile's `offline_after`, or the
/// `default` profile's for a detector outside the registry.
struct SupervisionPlan: Sendable {
    private let byDevice: [String: TimeInterval]
    private let fallback: TimeInterval
    let registered: [String]

    init(configuration: GatewayConfiguration) {
        fallback = configuration.profile(named: SupervisionProfile.defaultName).offlineAfter.secondsValue
        var byDevice: [String: TimeInterval] = [:]
        byDevice.reserveCapacity(configuration.devices.count)
        for device in configuration.devices {
            byDevice[device.deviceID] = configuration.profile(named: device.profile).offlineAfter.secondsValue
        }
        self.byDevice = byDevice
        registered = configuration.devices.map(\.deviceID)
    }

    func offlineAfter(_ id: String) -> TimeInterval {
        byDevice[id] ?? fallback
    }

    func isRegistered(_ id: String) -> Bool {
        byDevice[id] != nil
    }
}
