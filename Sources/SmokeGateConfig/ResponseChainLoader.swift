import SmokeGateCore
import Yams

/// Reads `response-chain.yaml`: stations, streets, communities, grids and their contacts,
/// checking ids for duplicates and references for units that do not exist, and unit ids as
/// the topic levels they become (`{topic_prefix}/{tier}/{id}`).
enum ResponseChainLoader {
    /// `receivers`: what the main file (`mainFile`) declares, which units may name.
    static func load(
        _ path: String, displayName: String, receivers: DeclaredReceivers = DeclaredReceivers(), mainFile: String = "",
        log: ProblemLog
    ) -> ResponseChain? {
        guard let root = YAMLFile.root(of: path, displayName: displayName, log: log) else { return nil }
        var reader = Reader(log: log, receivers: receivers, mainFile: mainFile)
        root.rejectUnknownKeys(["stations", "streets"])
        let stations = root.sequence("stations").enumerated().compactMap { position, node in
            reader.station(node, root: root, path: "stations[\(position)]")
        }
        let stationIDs = Set(stations.map(\.id))
        let streetNodes = root.sequence("streets", required: true)
        let streets = streetNodes.enumerated().compactMap { position, node in
            reader.street(node, root: root, path: "streets[\(position)]", stationIDs: stationIDs)
        }
        if root["streets"] != nil, streets.isEmpty, streetNodes.isEmpty {
            log.add(displayName, root.lineOf("streets"), "'streets' lists no street")
        }
        return ResponseChain(stations: stations, streets: streets)
    }

    /// Walks the units, remembering every id seen so that duplicates are caught across the file.
    struct Reader {
        let log: ProblemLog
        let declared: DeclaredReceivers
        let mainFile: String
        var unitIDs: [String: (kind: String, line: Int?)] = [:]
        var contactIDs: [String: Int?] = [:]

        init(log: ProblemLog, receivers: DeclaredReceivers, mainFile: String) {
            self.log = log
            self.declared = receivers
            self.mainFile = mainFile
        }

        mutating func unit(_ entry: YAMLMapping, kind: String) -> (id: String, name: String)? {
            let id = entry.string("id", required: true)
            let name = entry.string("name", required: true)
            guard let id, let name else { return nil }
            let line = entry.lineOf("id")
            if let flaw = TopicLevel.flaw(id) {
                log.add(
                    entry.file, line,
                    "\(kind) id '\(TopicLevel.shown(id))' \(flaw): a unit id is a level of its calls' topic ({topic_prefix}/\(kind)/{id}), \(TopicLevel.rule)"
                )
            }
            if let earlier = unitIDs[id] {
                let at = earlier.line.map { " on line \($0)" } ?? ""
                log.add(entry.file, line, "duplicate id '\(id)': already used by a \(earlier.kind)\(at)")
            } else {
                unitIDs[id] = (kind, line)
            }
            return (id, name)
        }

        mutating func contacts(_ entry: YAMLMapping) -> [Contact] {
            entry.sequence("contacts").enumerated().compactMap { position, node in
                guard let contact = YAMLMapping(node, file: entry.file, path: entry.name("contacts[\(position)]"), log: log)
                else { return nil }
                contact.rejectUnknownKeys(["id", "name", "phone"])
                let id = contact.string("id", required: true)
                let name = contact.string("name", required: true)
                let phone = contact.string("phone", required: true)
                guard let id, let name, let phone else { return nil }
                if let earlier = contactIDs[id] {
                    log.add(
                        contact.file, contact.lineOf("id"),
                        "duplicate contact id '\(id)'" + (earlier.map { " (first on line \($0))" } ?? ""))
                } else {
                    contactIDs[id] = contact.lineOf("id")
                }
                return Contact(id: id, name: name, phone: phone)
            }
        }

        mutating func station(_ node: Node, root: YAMLMapping, path: String) -> Station? {
            guard let entry = YAMLMapping(node, file: root.file, path: path, log: log) else { return nil }
            entry.rejectUnknownKeys(["id", "name", "contacts", "receivers"])
            let contacts = contacts(entry)
            let named = unit(entry, kind: "station")
            let receivers = receivers(entry, unit: named.map { "station '\($0.id)'" }, contacts: contacts)
            guard let (id, name) = named else { return nil }
            return Station(id: id, name: name, contacts: contacts, receivers: receivers)
        }

        mutating func street(_ node: Node, root: YAMLMapping, path: String, stationIDs: Set<String>) -> Street? {
            guard let entry = YAMLMapping(node, file: root.file, path: path, log: log) else { return nil }
            entry.rejectUnknownKeys(["id", "name", "station", "contacts", "communities", "receivers"])
            let named = unit(entry, kind: "street")
            let stationID = entry.string("station", required: true)
            if let stationID, !stationIDs.contains(stationID) {
                let street = named.map { "street '\($0.id)'" } ?? entry.path
                log.add(entry.file, entry.lineOf("station"), "\(street) names unknown station '\(stationID)'")
            }
            let contacts = contacts(entry)
            if contacts.isEmpty {
                log.add(entry.file, entry.line, "\(entry.path) has no contacts: its command centre could not be called")
            }
            let receivers = receivers(entry, unit: named.map { "street '\($0.id)'" }, contacts: contacts)
            let communities = entry.sequence("communities", required: true).enumerated().compactMap { position, node in
                community(node, parent: entry, path: entry.name("communities[\(position)]"))
            }
            guard let (id, name) = named, let stationID else { return nil }
            return Street(
                id: id, name: name, stationID: stationID, contacts: contacts, communities: communities, receivers: receivers)
        }

        mutating func community(_ node: Node, parent: YAMLMapping, path: String) -> Community? {
            guard let entry = YAMLMapping(node, file: parent.file, path: path, log: log) else { return nil }
            entry.rejectUnknownKeys(["id", "name", "contacts", "grids", "receivers"])
            let named = unit(entry, kind: "community")
            let contacts = contacts(entry)
            let receivers = receivers(entry, unit: named.map { "community '\($0.id)'" }, contacts: contacts)
            let grids = entry.sequence("grids", required: true).enumerated().compactMap { position, node in
                grid(node, parent: entry, path: entry.name("grids[\(position)]"))
            }
            guard let (id, name) = named else { return nil }
            return Community(id: id, name: name, contacts: contacts, grids: grids, receivers: receivers)
        }

        mutating func grid(_ node: Node, parent: YAMLMapping, path: String) -> Grid? {
            guard let entry = YAMLMapping(node, file: parent.file, path: path, log: log) else { return nil }
            entry.rejectUnknownKeys(["id", "name", "contacts", "evacuation", "receivers"])
            let named = unit(entry, kind: "grid")
            let contacts = contacts(entry)
            if contacts.isEmpty {
                log.add(
                    entry.file, entry.line,
                    "\(named.map { "grid '\($0.id)'" } ?? entry.path) has no contacts: its grid worker could not be called")
            }
            let receivers = receivers(entry, unit: named.map { "grid '\($0.id)'" }, contacts: contacts)
            var evacuation: Evacuation?
            if let circle = entry.mappingValue("evacuation") {
                circle.rejectUnknownKeys(["direction", "shelter", "rescue_route"])
                let direction = circle.string("direction", required: true)
                let shelter = circle.string("shelter", required: true)
                let route = circle.string("rescue_route", required: true)
                if let direction, let shelter, let route {
                    evacuation = Evacuation(direction: direction, shelter: shelter, rescueRoute: route)
                }
            }
            guard let (id, name) = named else { return nil }
            return Grid(id: id, name: name, contacts: contacts, evacuation: evacuation, receivers: receivers)
        }
    }
}
