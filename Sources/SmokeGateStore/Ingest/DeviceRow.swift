import Foundation
import SmokeGateCore

/// One detector as the operator sees it: registry fields and what was last heard.
public struct DeviceRow: Sendable, Equatable {
    public var id: String
    public var grid: String?
    public var address: String?
    public var venue: String?
    public var venueType: String?
    public var profile: String
    public var registered: Bool
    public var format: String?
    public var firstSeenAt: Date?
    public var lastSeenAt: Date?
    public var battery: Int?
    public var signal: Int?
    public var condition: DeviceCondition
    public var lastEvent: String?
    public var lastEventAt: Date?
    public var lastTestAt: Date?
}
