/// The registry of a run: every detector in the one grid of `TestConfiguration.chain`, each
/// at a venue of its own, so that each alarm is an incident of its own.
enum Registry {
    static func csv(_ devices: [String]) -> String {
        let rows = devices.enumerated().map { index, id in
            "\(id),yq-c01-g01,bench road \(index + 1),bench venue \(index + 1),residential,"
        }
        return (["device_id,grid,address,venue,venue_type,profile"] + rows).joined(separator: "\n")
    }
}
