/// The messages one transaction will commit, at most one per detector: each carries the
/// device state it leaves, projected from memory, which only a commit moves on.
final class CommitGroup {
    private(set) var entries: [PendingCommit] = []
    private var devices: Set<String> = []

    var isEmpty: Bool { entries.isEmpty }

    func contains(device: String) -> Bool { devices.contains(device) }

    func append(_ entry: PendingCommit) {
        entries.append(entry)
        devices.insert(entry.decoded.deviceID)
    }

    /// Empties the group, returning what it held, in order.
    func take() -> [PendingCommit] {
        defer {
            entries.removeAll(keepingCapacity: true)
            devices.removeAll(keepingCapacity: true)
        }
        return entries
    }
}
