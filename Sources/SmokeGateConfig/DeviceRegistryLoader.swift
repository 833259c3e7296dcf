import SmokeGateCore

/// Reads `devices.csv` (`device_id,grid,address,venue,venue_type,profile`), checking every
/// row against the chain and the supervision profiles.
enum DeviceRegistryLoader {
    static let header = ["device_id", "grid", "address", "venue", "venue_type", "profile"]

    static func load(
        _ path: String, displayName: String, chain: ResponseChain, profiles: Set<String>, log: ProblemLog
    ) -> [RegisteredDevice] {
        guard let text = TextFile.read(path, displayName: displayName, log: log) else { return [] }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(text)
        } catch {
            log.add(displayName, error.line, "not valid CSV: \(error.message)")
            return []
        }
        guard let headerRecord = records.first else {
            log.add(displayName, nil, "the file is empty; it needs the header \(header.joined(separator: ","))")
            return []
        }
        let names = headerRecord.fields.map { String($0.trimmingASCIISpaces()) }
        var columns: [String: Int] = [:]
        for (index, name) in names.enumerated() { columns[name] = index }
        let missing = header.filter { columns[$0] == nil && $0 != "profile" }
        if !missing.isEmpty {
            log.add(
                displayName, headerRecord.line,
                "the header lacks \(missing.joined(separator: ", ")) (expected \(header.joined(separator: ",")))")
            return []
        }
        let checkGrids = chain.gridCount > 0
        var firstLine: [String: Int] = [:]
        var devices: [RegisteredDevice] = []
        for record in records.dropFirst() {
            func field(_ name: String) -> String {
                guard let index = columns[name], index < record.fields.count else { return "" }
                return String(record.fields[index].trimmingASCIISpaces())
            }
            if record.fields.count != names.count {
                log.add(displayName, record.line, "has \(record.fields.count) fields, the header has \(names.count)")
                continue
            }
            let deviceID = field("device_id")
            let gridID = field("grid")
            var profile = field("profile")
            if profile.isEmpty { profile = SupervisionProfile.defaultName }
            var valid = true
            if deviceID.isEmpty {
                log.add(displayName, record.line, "device_id is empty")
                valid = false
            } else if deviceID.contains(where: { $0 == "/" || $0 == "+" || $0 == "#" || $0.isWhitespace }) {
                log.add(
                    displayName, record.line,
                    "device '\(deviceID)': an id may not contain '/', '+', '#' or spaces (it is a topic level)")
                valid = false
            } else if let earlier = firstLine[deviceID] {
                log.add(displayName, record.line, "duplicate device '\(deviceID)' (first on line \(earlier))")
                valid = false
            } else {
                firstLine[deviceID] = record.line
            }
            if gridID.isEmpty {
                log.add(displayName, record.line, "device '\(deviceID)' has no grid")
                valid = false
            } else if checkGrids, chain.placement(ofGrid: gridID) == nil {
                log.add(displayName, record.line, "device '\(deviceID)' is in unknown grid '\(gridID)'")
                valid = false
            }
            if !profiles.contains(profile) {
                log.add(
                    displayName, record.line,
                    "device '\(deviceID)' names unknown supervision profile '\(profile)' (known: \(profiles.sorted().joined(separator: ", ")))"
                )
                valid = false
            }
            guard valid else { continue }
            devices.append(
                RegisteredDevice(
                    deviceID: deviceID, gridID: gridID, address: field("address"), venue: field("venue"),
                    venueType: field("venue_type"), profile: profile))
        }
        return devices
    }
}

extension StringProtocol {
    func trimmingASCIISpaces() -> SubSequence {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
