import Foundation
import SmokeGateCore

/// The incident rules driven by a virtual clock, for timeline tests: what the store and the
/// scheduler do in the daemon, held in memory, so fifteen minutes pass in microseconds.
struct VirtualDesk {
    /// One message sent to one tier, at a time in seconds after the start.
    struct Call: Equatable, CustomStringConvertible {
        var at: TimeInterval
        var tier: Tier
        var action: DispatchAction
        var incident: Int64

        var description: String { "\(action.rawValue) \(tier.rawValue) at \(at)s (incident \(incident))" }
    }

    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    var rules: IncidentRules
    let directory: ResponseDirectory
    private(set) var incidents: [Int64: Incident] = [:]
    private(set) var timelines: [Int64: [TimelineEntry]] = [:]
    private(set) var calls: [Call] = []
    /// Seconds since `start`.
    private(set) var now: TimeInterval = 0
    private var nextID: Int64 = 1

    init(ladder: EscalationLadder = .standard, directory: ResponseDirectory = VirtualDesk.street) {
        rules = IncidentRules(ladder: ladder)
        self.directory = directory
    }

    /// A detector event at `seconds`; deadlines due before it fire first.
    mutating func event(_ kind: EventKind, from device: String, at seconds: TimeInterval, shield: String? = nil) {
        advance(to: seconds)
        let site = directory.site(of: device)
        perform(rules.apply(kind, site: site, at: date(seconds), open: open(for: site), shield: shield))
    }

    /// Supervision found `device` silent at `seconds`.
    mutating func silence(_ device: String, at seconds: TimeInterval) {
        advance(to: seconds)
        let site = directory.site(of: device)
        perform(rules.silence(site: site, at: date(seconds), open: open(for: site), reason: "not heard"))
    }

    mutating func acknowledge(_ id: Int64, by person: String, at seconds: TimeInterval) throws(IncidentRefusal) {
        advance(to: seconds)
        var incident = incidents[id]!
        let actions = try incident.acknowledge(by: person, note: nil, at: date(seconds))
        perform([IncidentChange(incident, actions)])
    }

    mutating func resolve(_ id: Int64, by person: String, cause: String, at seconds: TimeInterval) throws(IncidentRefusal) {
        advance(to: seconds)
        var incident = incidents[id]!
        let actions = try incident.resolve(by: person, cause: cause, note: nil, at: date(seconds))
        perform([IncidentChange(incident, actions)])
    }

    /// Lets time pass, firing every deadline at the moment it falls due.
    mutating func advance(to seconds: TimeInterval) {
        while let (id, deadline) = earliestDeadline(), deadline <= date(seconds) {
            now = deadline.timeIntervalSince(Self.start)
            fire(id)
        }
        now = max(now, seconds)
    }

    /// The gateway is down from now until `seconds`: nothing fires meanwhile; on restart the
    /// scheduler fires at once every deadline that passed.
    mutating func down(until seconds: TimeInterval) {
        now = seconds
        while let (id, deadline) = earliestDeadline(), deadline <= date(seconds) { fire(id) }
    }

    func timeline(_ id: Int64) -> [TimelineEntry] { timelines[id] ?? [] }

    private mutating func fire(_ id: Int64) {
        var incident = incidents[id]!
        let actions = incident.deadlineReached(at: date(now))
        perform([IncidentChange(incident, actions)])
    }

    private func earliestDeadline() -> (Int64, Date)? {
        incidents.values.compactMap { incident in incident.nextDeadline.map { (incident.id, $0) } }.min { $0.1 < $1.1 }
    }

    private func open(for site: IncidentSite) -> OpenIncidents {
        let unresolved = incidents.values.filter(\.isUnresolved).sorted { $0.id < $1.id }
        return OpenIncidents(
            ofDevice: unresolved.filter { $0.site.deviceID == site.deviceID },
            fireAtVenue: unresolved.first {
                $0.kind == .fire && $0.site.venueKey != nil && $0.site.venueKey == site.venueKey
                    && $0.site.deviceID != site.deviceID
            })
    }

    private mutating func perform(_ changes: [IncidentChange]) {
        for change in changes {
            var incident = change.incident
            if change.opensIncident {
                incident.id = nextID
                nextID += 1
            }
            incidents[incident.id] = incident
            for action in change.actions {
                switch action {
                case .record(let entry): timelines[incident.id, default: []].append(entry)
                case .dispatch(let tier, let dispatch, _):
                    calls.append(Call(at: now, tier: tier, action: dispatch, incident: incident.id))
                case .schedule: break
                }
            }
        }
    }

    private func date(_ seconds: TimeInterval) -> Date { Self.start.addingTimeInterval(seconds) }

    /// A street with one community and two grids; det-1 and det-2 share a venue.
    static let street: ResponseDirectory = {
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
        return ResponseDirectory(
            chain: chain,
            devices: [
                RegisteredDevice(
                    deviceID: "det-1", gridID: "g1", address: "3栋101", venue: "3栋", venueType: "residential", profile: "default"),
                RegisteredDevice(
                    deviceID: "det-2", gridID: "g1", address: "3栋102", venue: "3栋", venueType: "residential", profile: "default"),
                RegisteredDevice(
                    deviceID: "det-3", gridID: "g2", address: "餐馆", venue: "老李餐馆", venueType: "restaurant", profile: "default"),
            ])
    }()
}
