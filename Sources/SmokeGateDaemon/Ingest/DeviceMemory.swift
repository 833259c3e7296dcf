import Foundation
import SmokeGateCore
import SmokeGateStore
import Synchronization

/// The detectors' live state in memory: heartbeats land here and are flushed in batches,
/// so a million detectors reporting every minute cost no write per message.
final class DeviceMemory: Sendable {
    private struct Entry {
        var live: DeviceLiveState
        /// Changed since the last flush (and listed in `State.dirty`).
        var dirty = false
    }

    private struct State {
        var devices: [String: Entry] = [:]
        /// Devices to write at the next flush, each listed once.
        var dirty: [String] = []
        var rejections: [RejectedMessage] = []
        var counters = IngestCounters()
        /// Detectors with an open `offline` incident: the next proof of life closes it.
        var offline: Set<String> = []
        /// Offline detectors heard again since supervision last looked.
        var revived: [String] = []
        /// Detectors heard for the first time since supervision last looked.
        var newcomers: [String] = []
    }

    /// Rejected messages held between flushes at most; beyond it they are counted, not kept.
    static let rejectionBacklogLimit = 10_000

    private let state: Mutex<State>

    init(seed: [String: DeviceLiveState], offline: [String] = []) {
        state = Mutex(State(devices: seed.mapValues { Entry(live: $0) }, offline: Set(offline)))
    }

    func condition(of deviceID: String) -> DeviceCondition {
        state.withLock { $0.devices[deviceID]?.live.condition ?? [] }
    }

    /// Applies an accepted message; `flushLater` marks it for the next batch (heartbeats),
    /// otherwise the caller has just committed it.
    func apply(_ decoded: DecodedMessage, receivedAt: Date, flushLater: Bool, stored: Int = 0, duplicates: Int = 0) {
        state.withLock { state in
            var listDirty = false
            var heard = false
            var firstHeard = false
            // One hash lookup: the entry is modified in place.
            Self.modify(&state.devices[decoded.deviceID, default: Entry(live: .unseen(decoded))]) { entry in
                let before = entry.live.lastSeenAt
                entry.live.absorb(decoded, receivedAt: receivedAt)
                heard = entry.live.lastSeenAt != before
                firstHeard = heard && before == .distantPast
                if flushLater, !entry.dirty {
                    entry.dirty = true
                    listDirty = true
                }
            }
            if listDirty { state.dirty.append(decoded.deviceID) }
            if firstHeard { state.newcomers.append(decoded.deviceID) }
            if heard, !state.offline.isEmpty, state.offline.remove(decoded.deviceID) != nil {
                state.revived.append(decoded.deviceID)
            }
            state.counters.received += 1
            state.counters.count(decoded.format)
            if decoded.isHeartbeat { state.counters.heartbeats += 1 }
            state.counters.storedEvents += stored
            state.counters.duplicates += duplicates
        }
    }

    private static func modify<T>(_ value: inout T, _ body: (inout T) -> Void) {
        body(&value)
    }

    /// The state the device will be in once `decoded` is applied, for the durable commit.
    func projected(_ decoded: DecodedMessage, receivedAt: Date) -> DeviceLiveState {
        var live = state.withLock { $0.devices[decoded.deviceID]?.live } ?? .unseen(decoded)
        live.absorb(decoded, receivedAt: receivedAt)
        return live
    }

    func reject(_ message: RejectedMessage) {
        state.withLock { state in
            state.counters.received += 1
            state.counters.rejected += 1
            state.counters.count(message.rejection.reason)
            if let format = message.format { state.counters.count(format) }
            if state.rejections.count < Self.rejectionBacklogLimit { state.rejections.append(message) }
        }
    }

    func ignore(format: PayloadFormat?) {
        state.withLock { state in
            state.counters.received += 1
            if let format { state.counters.count(format) }
        }
    }

    /// Takes the states changed since the last call, and the rejections waiting to be kept.
    func takeBatch() -> (states: [DeviceLiveState], rejections: [RejectedMessage]) {
        state.withLock { state in
            var states: [DeviceLiveState] = []
            states.reserveCapacity(state.dirty.count)
            for id in state.dirty {
                Self.modify(&state.devices[id]) { entry in
                    entry?.dirty = false
                    if let live = entry?.live { states.append(live) }
                }
            }
            state.dirty.removeAll(keepingCapacity: true)
            let rejections = state.rejections
            state.rejections.removeAll()
            return (states, rejections)
        }
    }

    /// Puts back a batch whose write failed, so that the next flush tries it again.
    func restore(_ batch: (states: [DeviceLiveState], rejections: [RejectedMessage])) {
        state.withLock { state in
            for device in batch.states {
                Self.modify(&state.devices[device.deviceID]) { entry in
                    guard entry?.dirty == false else { return }
                    entry?.dirty = true
                    state.dirty.append(device.deviceID)
                }
            }
            state.rejections.insert(
                contentsOf: batch.rejections.prefix(Self.rejectionBacklogLimit - state.rejections.count), at: 0)
        }
    }

    var counters: IngestCounters { state.withLock { $0.counters } }

    /// When detector `id` was last heard, if ever.
    func lastHeard(_ id: String) -> Date? {
        state.withLock { state in state.devices[id].map(\.live.lastSeenAt).flatMap { $0 == .distantPast ? nil : $0 } }
    }

    /// Whether detector `id` has an open `offline` incident (as far as supervision knows).
    func isOffline(_ id: String) -> Bool {
        state.withLock { $0.offline.contains(id) }
    }

    /// When detector `id` must next be heard by: its last-heard time (or `start`, if never
    /// heard) plus `offlineAfter`. A detector past it is marked offline in the same step, so a
    /// heartbeat that races the check is never missed; nil for a detector already offline.
    func expectedBy(_ id: String, offlineAfter: TimeInterval, start: Date, now: Date) -> Date? {
        state.withLock { state in
            guard !state.offline.contains(id) else { return nil }
            let heard = state.devices[id].map(\.live.lastSeenAt) ?? .distantPast
            let deadline = max(heard, start).addingTimeInterval(offlineAfter)
            if deadline <= now { state.offline.insert(id) }
            return deadline
        }
    }

    /// Undoes `expectedBy`'s marking for detectors whose `offline` incident could not be stored.
    func unmarkOffline(_ ids: [String]) {
        state.withLock { state in state.offline.subtract(ids) }
    }

    /// Records that detector `id` has an open `offline` incident (its network reported it).
    func markOffline(_ id: String) {
        state.withLock { state in _ = state.offline.insert(id) }
    }

    /// Every detector heard at least once.
    var heardDeviceIDs: [String] {
        state.withLock { state in state.devices.compactMap { $0.value.live.lastSeenAt == .distantPast ? nil : $0.key } }
    }

    /// Takes the detectors heard for the first time, and the offline ones heard again, since
    /// the last call.
    func takeSupervisionNews() -> (newcomers: [String], revived: [String]) {
        state.withLock { state in
            defer {
                state.newcomers.removeAll()
                state.revived.removeAll()
            }
            return (state.newcomers, state.revived)
        }
    }

    var deviceCount: Int { state.withLock { $0.devices.count } }
}
