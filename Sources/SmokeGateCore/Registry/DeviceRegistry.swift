/// The device registry, packed by column: a detector costs its id, an index entry and a few
/// dozen bytes, where six heap strings each (and a copy per lookup table) made a
/// million-detector registry take hundreds of megabytes and seconds to build.
///
/// Reads as a collection of `RegisteredDevice` in file order; `position(of:)` finds a
/// detector by id in one hash lookup.
public struct DeviceRegistry: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private var ids: [String] = []
    private var positions: [String: Int32] = [:]
    private var grids = InternedColumn()
    private var addresses = TextColumn()
    private var venues = TextColumn()
    private var venueTypes = InternedColumn()
    private var profiles = InternedColumn()
    /// The few detectors that carry a platform id (NB-IoT), both ways: sparse, so a registry
    /// without the column costs nothing.
    private var platformIDs: [String: Int32] = [:]
    private var platformIDAt: [Int32: String] = [:]

    public init() {}

    /// Devices in order; a later device with an id already present replaces the earlier one.
    public init<S: Sequence>(_ devices: S) where S.Element == RegisteredDevice {
        reserveCapacity(devices.underestimatedCount)
        for device in devices { insertOrReplace(device) }
    }

    public init(arrayLiteral devices: RegisteredDevice...) {
        self.init(devices)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }

    public subscript(position: Int) -> RegisteredDevice {
        RegisteredDevice(
            deviceID: ids[position], gridID: grids[position], address: addresses[position], venue: venues[position],
            venueType: venueTypes[position], profile: profiles[position], platformID: platformIDAt[Int32(position)])
    }

    /// Feeds the six fields of the detector at `position` to `hash`, in the file's column
    /// order, each followed by a unit separator; no string is built.
    func hashFields(at position: Int, into hash: inout FNV1a) {
        hash.combine(ids[position])
        hash.combine(0x1F)
        grids.hash(position, into: &hash)
        addresses.hash(position, into: &hash)
        venues.hash(position, into: &hash)
        venueTypes.hash(position, into: &hash)
        profiles.hash(position, into: &hash)
        // Only rows with a platform id hash it, so registries without the column keep the
        // fingerprint they had before it existed.
        if let platformID = platformIDAt[Int32(position)] {
            hash.combine(platformID)
            hash.combine(0x1F)
        }
    }

    /// Hands `body` the six fields of the detector at `position` as UTF-8, numbered in the
    /// file's column order from 0, without building a string: writing or comparing a million
    /// rows this way spares two heap strings a row.
    public func forEachUTF8Field(at position: Int, _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var (id, grid, venueType, profile) = (ids[position], grids[position], venueTypes[position], profiles[position])
        try id.withUTF8 { try body(0, $0) }
        try grid.withUTF8 { try body(1, $0) }
        try addresses.withUTF8(position) { try body(2, $0) }
        try venues.withUTF8(position) { try body(3, $0) }
        try venueType.withUTF8 { try body(4, $0) }
        try profile.withUTF8 { try body(5, $0) }
    }

    /// Where detector `id` is in the registry, if it is listed.
    public func position(of id: String) -> Int? {
        positions[id].map(Int.init)
    }

    /// The registered detector `id`, if the registry lists it.
    public func device(_ id: String) -> RegisteredDevice? {
        position(of: id).map { self[$0] }
    }

    public func deviceID(at position: Int) -> String { ids[position] }

    /// The registered detector whose platform id is `platformID`, if any.
    public func deviceID(forPlatformID platformID: String) -> String? {
        platformIDs[platformID].map { ids[Int($0)] }
    }

    /// The registered detector that already carries `platformID`, other than `deviceID`: a
    /// platform id names one detector.
    public func holder(ofPlatformID platformID: String, otherThan device: String) -> String? {
        guard let holder = deviceID(forPlatformID: platformID), holder != device else { return nil }
        return holder
    }
    public func gridID(at position: Int) -> String { grids[position] }

    /// The supervision profiles the registry names, each once; `profileCode(at:)` indexes it.
    public var profileNames: [String] { profiles.values }
    public func profileCode(at position: Int) -> Int { profiles.code(at: position) }

    /// The grids the registry names, each once; `gridCode(at:)` indexes it.
    public var gridIDs: [String] { grids.values }
    public func gridCode(at position: Int) -> Int { grids.code(at: position) }

    /// Adds `device`, or replaces the detector listed under its id; true when it was added.
    @discardableResult
    public mutating func insertOrReplace(_ device: RegisteredDevice) -> Bool {
        if let existing = positions[device.deviceID] {
            let row = Int(existing)
            grids.replace(row, with: device.gridID)
            addresses.replace(row, with: device.address)
            venues.replace(row, with: device.venue)
            venueTypes.replace(row, with: device.venueType)
            profiles.replace(row, with: device.profile)
            setPlatformID(device.platformID, at: existing)
            return false
        }
        positions[device.deviceID] = Int32(ids.count)
        ids.append(device.deviceID)
        grids.append(device.gridID)
        addresses.append(device.address)
        venues.append(device.venue)
        venueTypes.append(device.venueType)
        profiles.append(device.profile)
        setPlatformID(device.platformID, at: Int32(ids.count - 1))
        return true
    }

    /// Adds `device` unless its id is listed already, in one hash lookup; returns the position
    /// of the detector already listed under that id, or nil once it is added.
    public mutating func insertIfAbsent(_ device: RegisteredDevice) -> Int? {
        let next = Int32(ids.count)
        var existing: Int32?
        Self.update(&positions[device.deviceID, default: next]) { if $0 != next { existing = $0 } }
        if let existing { return Int(existing) }
        ids.append(device.deviceID)
        grids.append(device.gridID)
        addresses.append(device.address)
        venues.append(device.venue)
        venueTypes.append(device.venueType)
        profiles.append(device.profile)
        setPlatformID(device.platformID, at: next)
        return nil
    }

    /// Records (or clears) the platform id of the row at `position`.
    private mutating func setPlatformID(_ platformID: String?, at position: Int32) {
        if let old = platformIDAt[position], platformIDs[old] == position { platformIDs[old] = nil }
        platformIDAt[position] = platformID
        if let platformID { platformIDs[platformID] = position }
    }

    private static func update<T>(_ value: inout T, _ body: (inout T) -> Void) {
        body(&value)
    }

    public mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        positions.reserveCapacity(count)
        grids.reserveCapacity(count)
        addresses.reserveCapacity(count, bytesPerRow: 24)
        venues.reserveCapacity(count, bytesPerRow: 16)
        venueTypes.reserveCapacity(count)
        profiles.reserveCapacity(count)
    }

    /// Gives back text capacity reserved beyond what the rows needed.
    public mutating func trim() {
        addresses.trim()
        venues.trim()
    }

    public static func == (lhs: DeviceRegistry, rhs: DeviceRegistry) -> Bool {
        lhs.count == rhs.count && lhs.indices.allSatisfy { lhs[$0] == rhs[$0] }
    }
}
