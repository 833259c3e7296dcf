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
    }

    /// Rejected messages held between flushes at most; beyond it they are counted, not kept.
    static let rejectionBacklogLimit = 10_000

    private let state: Mutex<State>

    init(seed: [String: DeviceLiveState]) {
        state = Mutex(State(devices: seed.mapValues { Entry(live: $0) }))
    }

    func condition(of deviceID: String) -> DeviceCondition {
        state.withLock { $0.devices[deviceID]?.live.condition ?? [] }
    }

    /// Applies an accepted message; `flushLater` marks it for the next batch (heartbeats),
    /// otherwise the caller has just committed it.
    func apply(_ decoded: DecodedMessage, receivedAt: Date, flushLater: Bool, stored: Int = 0, duplicates: Int = 0) {
        state.withLock { state in
            var listDirty = false
            // One hash lookup: the entry is modified in place.
            Self.modify(&state.devices[decoded.deviceID, default: Entry(live: .unseen(decoded))]) { entry in
                entry.live.absorb(decoded, receivedAt: receivedAt)
                if flushLater, !entry.dirty {
                    entry.dirty = true
                    listDirty = true
                }
            }
            if listDirty { state.dirty.append(decoded.deviceID) }
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
            state.rejections.insert(contentsOf: batch.rejections.prefix(Self.rejectionBacklogLimit - state.rejections.count), at: 0)
        }
    }

    var counters: IngestCounters { state.withLock { $0.counters } }

    var deviceCount: Int { state.withLock { $0.devices.count } }
}
