import ArgumentParser

/// The payload formats `fleet` speaks, or a mix of all three.
enum FleetFormat: String, ExpressibleByArgument, CaseIterable {
    case native, zigbee2mqtt, ctwing, mix

    /// The format of detector number `index` (1-based).
    func format(for index: Int) -> FleetFormat {
        guard self == .mix else { return self }
        return [.native, .zigbee2mqtt, .ctwing][(index - 1) % 3]
    }
}
