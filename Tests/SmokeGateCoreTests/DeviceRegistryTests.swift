import SmokeGateCore
import Testing

/// The packed registry reads back exactly what went in, finds detectors by id, replaces in
/// place, and its fingerprint changes with any field.
@Suite struct DeviceRegistryTests {
    static let listed = [
        RegisteredDevice(
            deviceID: "det-1", gridID: "g1", address: "北湖路1号", venue: "北湖小区3栋", venueType: "residential", profile: "default"),
        RegisteredDevice(
            deviceID: "设备-2", gridID: "g1", address: "", venue: "北湖小区3栋", venueType: "residential", profile: "nbiot"),
        RegisteredDevice(
            deviceID: "det-3", gridID: "g2", address: "东街3号, 二楼", venue: "东街", venueType: "shop", profile: "default"),
    ]

    @Test func devicesReadBackInOrderAndAreFoundById() {
        let registry = DeviceRegistry(Self.listed)
        #expect(Array(registry) == Self.listed)
        #expect(registry.position(of: "设备-2") == 1)
        #expect(registry.device("det-3") == Self.listed[2])
        #expect(registry.device("det-4") == nil)
        #expect(registry.gridIDs == ["g1", "g2"], "each grid kept once")
        #expect(registry.profileNames == ["default", "nbiot"])
        #expect(
            registry.profileCode(at: 0) == registry.profileCode(at: 2)
                && registry.profileCode(at: 1) != registry.profileCode(at: 0))
    }

    @Test func aListedIdIsReplacedWhereItStands() {
        var registry = DeviceRegistry(Self.listed)
        var moved = Self.listed[0]
        moved.gridID = "g2"
        moved.address = "南湖路9号"
        #expect(registry.insertOrReplace(moved) == false)
        let added = RegisteredDevice(
            deviceID: "det-9", gridID: "g3", address: "西街", venue: "西街", venueType: "shop", profile: "default")
        #expect(registry.insertOrReplace(added) == true)
        #expect(Array(registry) == [moved, Self.listed[1], Self.listed[2], added])
    }

    @Test func theFingerprintFollowsTheContent() {
        let registry = DeviceRegistry(Self.listed)
        #expect(registry.fingerprint == DeviceRegistry(Self.listed).fingerprint, "stable for the same rows")
        #expect(registry.fingerprint.hasPrefix("fnv1a64:") && registry.fingerprint.hasSuffix(":3"))
        var changes: [DeviceRegistry] = []
        for keyPath in [\RegisteredDevice.gridID, \.address, \.venue, \.venueType, \.profile] {
            var rows = Self.listed
            rows[1][keyPath: keyPath] += "x"
            changes.append(DeviceRegistry(rows))
        }
        changes.append(DeviceRegistry(Self.listed.reversed()))
        changes.append(DeviceRegistry(Self.listed.dropLast()))
        var shifted = Self.listed
        (shifted[0].address, shifted[0].venue) = ("北湖路1", "号北湖小区3栋")
        changes.append(DeviceRegistry(shifted))
        let fingerprints = Set(changes.map(\.fingerprint) + [registry.fingerprint])
        #expect(fingerprints.count == changes.count + 1, "a changed field, order, row count or field boundary all show")
    }
}
