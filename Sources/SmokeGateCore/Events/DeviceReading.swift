/// The measurements that travel with a message; each is nil when the payload lacks it.
public struct DeviceReading: Sendable, Equatable {
    /// Battery charge in percent.
    public var battery: Int?
    /// Signal strength as the network reports it (RSSI in dBm, link quality, RSRP).
    public var signal: Int?
    public var smoke: Double?
    public var temperature: Double?

    public init(battery: Int? = nil, signal: Int? = nil, smoke: Double? = nil, temperature: Double? = nil) {
        self.battery = battery
        self.signal = signal
        self.smoke = smoke
        self.temperature = temperature
    }

    /// The readings of `newer`, falling back to these where `newer` has none.
    public func updated(with newer: DeviceReading) -> DeviceReading {
        DeviceReading(
            battery: newer.battery ?? battery, signal: newer.signal ?? signal,
            smoke: newer.smoke ?? smoke, temperature: newer.temperature ?? temperature)
    }
}
