/// A detector as the registry (`devices.csv`) lists it.
public struct RegisteredDevice: Sendable, Equatable {
    public var deviceID: String
    public var gridID: String
    public var address: String
    public var venue: String
    public var venueType: String
    /// The supervision profile's name; `default` where the registry leaves it empty.
    public var profile: String
    /// The NB-IoT platform's own id for the detector (CTWing's `deviceId`), for pushes that
    /// name only it; nil where the registry's optional `platform_id` column is empty.
    public var platformID: String?

    public init(
        deviceID: String, gridID: String, address: String, venue: String, venueType: String, profile: String,
        platformID: String? = nil
    ) {
        self.platformID = platformID
        self.deviceID = deviceID
        self.gridID = gridID
        self.address = address
        self.venue = venue
        self.venueType = venueType
        self.profile = profile
    }
}
