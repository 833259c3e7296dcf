import Foundation
import SmokeGateCore

/// Reads `devices.csv` (`device_id,grid,address,venue,venue_type,profile[,platform_id]`),
/// checking every row against the supervision profiles and then against the chain.
///
/// Reading and checking grids are two steps so that the registry can be read while the
/// chain's YAML is still being parsed: on a million detectors they take seconds each.
enum DeviceRegistryLoader {
    static let header = ["device_id", "grid", "address", "venue", "venue_type", "profile", "platform_id"]
    /// Columns a file may leave out: `profile` (then `default`) and `platform_id` (the NB-IoT
    /// platform's own device id, for pushes that name only it).
    static let optionalColumns: Set<String> = ["profile", "platform_id"]

    /// A registry read but not yet checked against the chain.
    struct Reading: Sendable {
        var devices = DeviceRegistry()
        /// The line each device is on, for problems found once the chain is known.
        var lines: [Int32] = []
        /// Rows left out for another problem whose grid must still be checked.
        var unplacedRows: [(line: Int, deviceID: String, gridID: String)] = []
        var problems: [ConfigurationProblem] = []
        var displayName: String
    }

    static func load(
        _ path: String, displayName: String, chain: ResponseChain, profiles: Set<String>, log: ProblemLog
    ) -> DeviceRegistry {
        read(path, displayName: displayName, profiles: profiles).checked(against: chain, log: log)
    }

    /// Reads and checks every row for what does not need the chain.
    static func read(_ path: String, displayName: String, profiles: Set<String>) -> Reading {
        let log = ProblemLog()
        var reading = read(path, displayName: displayName, profiles: profiles, log: log)
        reading.problems = log.problems
        return reading
    }

    private static func read(_ path: String, displayName: String, profiles: Set<String>, log: ProblemLog) -> Reading {
        var reading = Reading(displayName: displayName)
        guard let data = TextFile.contents(path, displayName: displayName, log: log) else { return reading }
        var header: [String]?
        var columns: [Int] = []
        let failure = data.withUnsafeBytes { raw -> CSVReader.Failure? in
            do throws(CSVReader.Failure) {
                try CSVReader.read(raw.bindMemory(to: UInt8.self)) { line, fields in
                    guard let names = header else {
                        header = fields.map { String($0.trimmingASCIISpaces()) }
                        columns = Self.columns(header ?? [], line: line, displayName: displayName, log: log)
                        if !columns.isEmpty { reading.devices.reserveCapacity(data.count / 64) }
                        return
                    }
                    guard !columns.isEmpty else { return }
                    guard fields.count == names.count else {
                        log.add(displayName, line, "has \(fields.count) fields, the header has \(names.count)")
                        return
                    }
                    reading.add(fields, columns: columns, line: line, profiles: profiles, log: log)
                }
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            log.add(displayName, failure.line, "not valid CSV: \(failure.message)")
            return reading
        }
        if header == nil {
            log.add(displayName, nil, "the file is empty; it needs the header \(Self.header.prefix(6).joined(separator: ","))")
        }
        reading.devices.trim()
        return reading
    }

    /// Where each of the contract's columns is (`profile` may be absent: -1); empty if the
    /// header lacks a required one.
    private static func columns(_ names: [String], line: Int, displayName: String, log: ProblemLog) -> [Int] {
        let columns = header.map { names.firstIndex(of: $0) ?? -1 }
        let missing = zip(header, columns).filter { $0.1 < 0 && !optionalColumns.contains($0.0) }.map(\.0)
        guard missing.isEmpty else {
            log.add(
                displayName, line,
                "the header lacks \(missing.joined(separator: ", ")) (expected \(header.prefix(6).joined(separator: ",")), optionally platform_id)"
            )
            return []
        }
        return columns
    }
}

extension DeviceRegistryLoader.Reading {
    /// Checks one row and adds it to the registry if nothing is wrong with it.
    mutating func add(_ fields: [String], columns: [Int], line: Int, profiles: Set<String>, log: ProblemLog) {
        func field(_ column: Int) -> String {
            column >= 0 ? fields[column].trimmedOfASCIISpaces : ""
        }
        let deviceID = field(columns[0])
        let gridID = field(columns[1])
        var profile = field(columns[5])
        if profile.isEmpty { profile = SupervisionProfile.defaultName }
        let platformID = field(columns[6])
        var valid = true
        if !platformID.isEmpty, let holder = devices.holder(ofPlatformID: platformID, otherThan: deviceID) {
            log.add(
                displayName, line, "device '\(deviceID)' has platform_id '\(platformID)', which device '\(holder)' already has")
            valid = false
        }
        if deviceID.isEmpty {
            log.add(displayName, line, "device_id is empty")
            valid = false
        } else if !DeviceName.isValid(deviceID) {
            log.add(
                displayName, line,
                "device '\(DeviceName.shown(deviceID))' \(DeviceName.flaw(deviceID) ?? "is not a valid name"): a device id may be \(DeviceName.rule)"
            )
            valid = false
        }
        if gridID.isEmpty {
            log.add(displayName, line, "device '\(deviceID)' has no grid")
            valid = false
        }
        if !profiles.contains(profile) {
            log.add(
                displayName, line,
                "device '\(deviceID)' names unknown supervision profile '\(profile)' (known: \(profiles.sorted().joined(separator: ", ")))"
            )
            valid = false
        }
        if valid {
            let device = RegisteredDevice(
                deviceID: deviceID, gridID: gridID, address: field(columns[2]), venue: field(columns[3]),
                venueType: field(columns[4]), profile: profile, platformID: platformID.isEmpty ? nil : platformID)
            if let earlier = devices.insertIfAbsent(device) {
                duplicate(deviceID, line: line, earlier: earlier, log: log)
                valid = false
            } else {
                lines.append(Int32(line))
            }
        } else if !deviceID.isEmpty, let earlier = devices.position(of: deviceID) {
            duplicate(deviceID, line: line, earlier: earlier, log: log)
        }
        if !valid, !gridID.isEmpty { unplacedRows.append((line, deviceID, gridID)) }
    }

    private func duplicate(_ deviceID: String, line: Int, earlier: Int, log: ProblemLog) {
        log.add(displayName, line, "duplicate device '\(deviceID)' (first on line \(lines[earlier]))")
    }

    /// Checks every row's grid against `chain` (when it has any grids) and reports all the
    /// registry's problems in line order.
    func checked(against chain: ResponseChain, log: ProblemLog) -> DeviceRegistry {
        var found = problems
        if chain.gridCount > 0 {
            let unknown = devices.gridIDs.map { chain.placement(ofGrid: $0) == nil }
            if unknown.contains(true) {
                for position in devices.indices where unknown[devices.gridCode(at: position)] {
                    found.append(unknownGrid(Int(lines[position]), devices.deviceID(at: position), devices.gridID(at: position)))
                }
            }
            for row in unplacedRows where chain.placement(ofGrid: row.gridID) == nil {
                found.append(unknownGrid(row.line, row.deviceID, row.gridID))
            }
        }
        for problem in found.enumerated().sorted(by: { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }) {
            log.add(problem.element.file, problem.element.line, problem.element.message)
        }
        return devices
    }

    private func unknownGrid(_ line: Int, _ deviceID: String, _ gridID: String) -> ConfigurationProblem {
        ConfigurationProblem(file: displayName, line: line, message: "device '\(deviceID)' is in unknown grid '\(gridID)'")
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

extension String {
    /// The string without leading and trailing spaces and tabs; itself, uncopied, when it
    /// has none (nearly every field).
    var trimmedOfASCIISpaces: String {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
        return String(trimmingASCIISpaces())
    }
}
