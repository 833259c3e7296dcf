/// A grid's evacuation circle: where people go and how rescuers get in.
public struct Evacuation: Sendable, Equatable, Codable {
    public var direction: String
    public var shelter: String
    public var rescueRoute: String

    public init(direction: String, shelter: String, rescueRoute: String) {
        self.direction = direction
        self.shelter = shelter
        self.rescueRoute = rescueRoute
    }

    enum CodingKeys: String, CodingKey {
        case direction, shelter
        case rescueRoute = "rescue_route"
    }
}
