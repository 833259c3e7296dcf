import Foundation
import SmokeGateCore
import SmokeGateStore
import Synchronization

/// The detectors' live state in memory: heartbeats land here and are flushed in batches,
/// so a million detectors reporting every minute cost no write per message.
final class DeviceMemory: Sendable {
    private struct State {
        var devices: [String: DeviceLiveState] = [:]
        var dirty: Set<String> = []
        var rejections: [RejectedMessage] = []
        var counters = IngestCounters()
    }

    /// Rejected messages held between flushes at most; beyond it they are counted, not kept.
    static let rejectionBacklogLimit = 10_000

    private let state: Mutex<State>

    init(seed: [String: DeviceLiveState]) {
        state = Mutex(State(devices: seed))
    }

    func condition(of deviceID: String) -> DeviceCondition {
        state.withLock { $0.devices[deviceID]?.condition ?? [] }
    }

    /// Applies an accepted message; `flushLater` marks it for the next batch (heartbeats),
    /// otherwise the caller has just committed it.
    func apply(_ decoded: DecodedMessage, receivedAt: Date, flushLater: Bool, stored: Int = 0, duplicates: Int = 0) {
        state.withLock { state in
            let previous = state.devices[decoded.deviceID]
            let condition = decoded.condition(after: previous?.condition ?? [])
            let reading = (previous?.reading ?? DeviceReading()).updated(with: decoded.reading)
            // An offline report from the network is not proof of life.
            let provesLife = !decoded.events.allSatisfy { $0.kind == .offline } || decoded.events.isEmpty
            let lastSeen = provesLife ? max(previous?.lastSeenAt ?? receivedAt, receivedAt) : (previous?.lastSeenAt ?? .distantPast)
            state.devices[decoded.deviceID] = DeviceLiveState(
                deviceID: decoded.deviceID, format: decoded.format, lastSeenAt: lastSeen, reading: reading, condition: condition)
            if flushLater { state.dirty.insert(decoded.deviceID) }
            state.counters.received += 1
            state.counters.byFormat[decoded.format, default: 0] += 1
            if decoded.isHeartbeat { state.counters.heartbeats += 1 }
            state.counters.storedEvents += stored
            state.counters.duplicates += duplicates
        }
    }

    /// The state the device will be in once `decoded` is applied, for the durable commit.
    func projected(_ decoded: DecodedMessage, receivedAt: Date) -> DeviceLiveState {
        state.withLock { state in
            let previous = state.devices[decoded.deviceID]
            return DeviceLiveState(
                deviceID: decoded.deviceID, format: decoded.format,
                lastSeenAt: max(previous?.lastSeenAt ?? receivedAt, receivedAt),
                reading: (previous?.reading ?? DeviceReading()).updated(with: decoded.reading),
                condition: decoded.condition(after: previous?.condition ?? []))
        }
    }

    func reject(_ message: RejectedMessage) {
        state.withLock { state in
            state.counters.received += 1
            state.counters.rejected += 1
            state.counters.byReason[message.rejection.reason, default: 0] += 1
            if let format = message.format { state.counters.byFormat[format, default: 0] += 1 }
            if state.rejections.count < Self.rejectionBacklogLimit { state.rejections.append(message) }
        }
    }

    func ignore(format: PayloadFormat?) {
        state.withLock { state in
            state.counters.received += 1
            state.counters.ignored += 1
            if let format { state.counters.byFormat[format, default: 0] += 1 }
        }
    }

    /// Takes the states changed since the last call, and the rejections waiting to be kept.
    func takeBatch() -> (states: [DeviceLiveState], rejections: [RejectedMessage]) {
        state.withLock { state in
            let states = state.dirty.compactMap { state.devices[$0] }
            state.dirty.removeAll(keepingCapacity: true)
            let rejections = state.rejections
            state.rejections.removeAll()
            return (states, rejections)
        }
    }

    /// Puts back a batch whose write failed, so that the next flush tries it again.
    func restore(_ batch: (states: [DeviceLiveState], rejections: [RejectedMessage])) {
        state.withLock { state in
            for device in batch.states { state.dirty.insert(device.deviceID) }
            state.rejections.insert(contentsOf: batch.rejections.prefix(Self.rejectionBacklogLimit - state.rejections.count), at: 0)
        }
    }

    var counters: IngestCounters { state.withLock { $0.counters } }

    var deviceCount: Int { state.withLock { $0.devices.count } }
}
