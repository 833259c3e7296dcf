import SmokeGateCore

/// The street every rulebook scenario runs on: one community, two grids, one station.
/// det-1 and det-2 share a venue (3栋, grid g1); det-4 is elsewhere in g1; det-3 is a
/// restaurant in g2; det-9 is registered under a grid the chain lacks; anything else is a
/// detector the registry does not know.
public enum TestStreet {
    public static let sharedVenue = ["det-1", "det-2"]
    public static let registered = ["det-1", "det-2", "det-3", "det-4"]
    public static let stranger = "0x00158d0004fc9481"
    /// Registered, but under a grid the chain does not have: its site has no grid.
    public static let misplaced = "det-9"

    public static let directory: ResponseDirectory = {
        let contact = { (id: String) in [Contact(id: id, name: id, phone: "13800000000")] }
        let grids = ["g1", "g2"].map {
            Grid(
                id: $0, name: $0, contacts: contact("\($0)-w"),
                evacuation: Evacuation(direction: "东", shelter: "广场", rescueRoute: "北门"))
        }
        let chain = ResponseChain(
            stations: [Station(id: "wgxz", name: "站", contacts: contact("wgxz-duty"))],
            streets: [
                Street(
                    id: "yongquan", name: "涌泉街道", stationID: "wgxz", contacts: contact("yq-duty"),
                    communities: [Community(id: "c1", name: "社区", contacts: contact("c1-duty"), grids: grids)])
            ])
        return ResponseDirectory(chain: chain, devices: DeviceRegistry(devices))
    }()

    public static let devices = [
        RegisteredDevice(
            deviceID: "det-1", gridID: "g1", address: "3栋101", venue: "3栋", venueType: "residential", profile: "default"),
        RegisteredDevice(
            deviceID: "det-2", gridID: "g1", address: "3栋102", venue: "3栋", venueType: "residential", profile: "default"),
        RegisteredDevice(
            deviceID: "det-3", gridID: "g2", address: "餐馆", venue: "老李餐馆", venueType: "restaurant", profile: "default"),
        RegisteredDevice(
            deviceID: "det-4", gridID: "g1", address: "5栋201", venue: "5栋", venueType: "residential", profile: "default"),
        RegisteredDevice(
            deviceID: misplaced, gridID: "g9", address: "9栋", venue: "9栋", venueType: "residential", profile: "default"),
    ]
}
