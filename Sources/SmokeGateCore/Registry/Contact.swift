/// Someone a tier calls: a duty desk or a named person.
public struct Contact: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var phone: String

    public init(id: String, name: String, phone: String) {
        self.id = id
        self.name = name
        self.phone = phone
    }
}
