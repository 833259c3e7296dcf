import Foundation
import SmokeGateCore
import SmokeGateStore

/// Reads the daemon's database from the test's side.
struct StoreWatcher {
    let path: String

    private func store() throws -> Store? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try Store(path: path, readOnly: true)
    }

    func connected() throws -> Bool {
        guard let store = try store(), try store.isMigrated() else { return false }
        return try store.readStatus()?.connected == true
    }

    func alarms() throws -> Int {
        try store()?.events(kind: .alarm).count ?? 0
    }

    func events(device: String? = nil, kind: EventKind? = nil) throws -> [EventRow] {
        try store()?.events(device: device, kind: kind) ?? []
    }

    func rejected() throws -> [RejectedRow] {
        try store()?.rejectedMessages() ?? []
    }

    func incidents() throws -> [Incident] {
        try store()?.incidents(includeResolved: true) ?? []
    }

    func timeline(of id: Int64) throws -> [TimelineEntry] {
        try store()?.timeline(of: id) ?? []
    }

    func status() throws -> GatewayStatus? {
        try store()?.readStatus()
    }
}
