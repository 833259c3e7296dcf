import Foundation
import SmokeGateCore
import SmokeGateStore
import Synchronization

/// The detectors' live state in memory: heartbeats land here and are flushed in batches,
/// so a million detectors reporting every minute cost no write per message.
///
/// Registered detectors have a 24-byte slot each, by registry position, allocated once (and
/// again when a reload brings a new registry: `adopt`); only detectors outside the registry
/// are kept by id in a dictionary.
final class DeviceMemory: Sendable {
    private struct State {
        /// The registry the slots are laid out by; positions are looked up under the lock, so a
        /// reload never pairs a position with another registry's slots.
        var registry: DeviceRegistry
        /// Counts the registries adopted (0: the one started with).
        var generation = 0
        var slots: [LiveSlot]
        /// Detectors heard that the registry does not list.
        var strangers: [String: LiveSlot] = [:]
        /// Slots to write at the next flush, each listed once: registry positions, and strangers.
        var dirty: [Int32] = []
        var dirtyStrangers: [String] = []
        var rejections: [RejectedMessage] = []
        var counters = IngestCounters()
        /// Detectors with an open `offline` incident: the next proof of life closes it.
        var offline: Set<String> = []
        /// Offline detectors heard again since supervision last looked.
        var revived: [String] = []
        /// Whether a new stranger was last turned away for want of room (reported once).
        var strangersFull = false

        /// The slot of detector `id` (at registry `position`, if listed), created for a stranger.
        mutating func withSlot<T>(_ id: String, at position: Int?, _ body: (inout LiveSlot) -> T) -> T {
            if let position { return body(&slots[position]) }
            return body(&strangers[id, default: LiveSlot()])
        }

        func slot(_ id: String, at position: Int?) -> LiveSlot? {
            if let position { return slots[position] }
            return strangers[id]
        }

        /// The slot of detector `id`, wherever it is.
        func slot(_ id: String) -> LiveSlot? {
            slot(id, at: registry.position(of: id))
        }
    }

    /// Rejected messages held between flushes at most; beyond it they are counted, not kept.
    static let rejectionBacklogLimit = 10_000
    /// Unregistered devices kept at most (rule 16: listed, never paged). Ids invented by a
    /// misused credential must not grow memory and the device table without bound; beyond it
    /// a new stranger's messages are counted, and only its alarms are stored.
    static let strangerLimit = 10_000

    /// This memory's bound on strangers (`strangerLimit`, smaller in tests).
    let strangersKept: Int

    private let state: Mutex<State>

    /// Memory for the `registry`'s detectors, seeded with the last known states (`seed` calls
    /// its argument once per stored state) and the detectors with an open `offline` incident.
    init(
        registry: DeviceRegistry, offline: [String] = [], strangersKept: Int = strangerLimit,
        seed: ((DeviceLiveState) -> Void) throws -> Void = { _ in }
    ) rethrows {
        self.strangersKept = strangersKept
        var state = State(
            registry: registry, slots: [LiveSlot](repeating: LiveSlot(), count: registry.count), offline: Set(offline))
        try seed { live in
            state.withSlot(live.deviceID, at: registry.position(of: live.deviceID)) { $0 = LiveSlot(live) }
        }
        self.state = Mutex(state)
    }

    /// Whether a message of `id` may be kept: a registered detector, a stranger already known,
    /// or a new stranger while there is room. Returns false, counting the message, for a new
    /// stranger past `strangerLimit`; `firstRefusal` is true the first time since there was room.
    func admits(_ id: String) -> (admitted: Bool, firstRefusal: Bool) {
        state.withLock { state in
            if state.registry.position(of: id) != nil { return (true, false) }
            if state.strangers[id] != nil || state.strangers.count < strangersKept {
                state.strangersFull = false
                return (true, false)
            }
            state.counters.received += 1
            state.counters.strangersOverflow += 1
            defer { state.strangersFull = true }
            return (false, !state.strangersFull)
        }
    }

    /// Forgets strangers not heard since `cutoff`, as the device table forgets them; returns
    /// how many went.
    @discardableResult
    func forgetStrangers(notHeardSince cutoff: Date) -> Int {
        state.withLock { state in
            let before = state.strangers.count
            state.strangers = state.strangers.filter { $0.value.lastSeen >= cutoff.timeIntervalSince1970 || $0.value.dirty }
            return before - state.strangers.count
        }
    }

    /// Unregistered devices kept in memory.
    var strangerCount: Int { state.withLock { $0.strangers.count } }

    func condition(of deviceID: String) -> DeviceCondition {
        state.withLock { DeviceCondition(rawValue: Int($0.slot(deviceID)?.condition ?? 0)) }
    }

    /// Applies an accepted message; `flushLater` marks it for the next batch (heartbeats),
    /// otherwise the caller has just committed it.
    func apply(_ decoded: DecodedMessage, receivedAt: Date, flushLater: Bool, stored: Int = 0, duplicates: Int = 0) {
        let id = decoded.deviceID
        state.withLock { state in
            let position = state.registry.position(of: id)
            let (heard, listDirty) = state.withSlot(id, at: position) { slot in
                let before = slot.lastSeen
                slot.absorb(decoded, receivedAt: receivedAt)
                let heard = slot.lastSeen != before
                let listDirty = flushLater && !slot.dirty
                if listDirty { slot.dirty = true }
                return (heard, listDirty)
            }
            if listDirty {
                if let position { state.dirty.append(Int32(position)) } else { state.dirtyStrangers.append(id) }
            }
            if heard, !state.offline.isEmpty, state.offline.remove(id) != nil {
                state.revived.append(id)
            }
            state.counters.received += 1
            state.counters.count(decoded.format)
            if decoded.isHeartbeat { state.counters.heartbeats += 1 }
            state.counters.storedEvents += stored
            state.counters.duplicates += duplicates
            state.counters.droppedReadings += decoded.notes.count
        }
    }

    /// The state the device will be in once `decoded` is applied, for the durable commit.
    func projected(_ decoded: DecodedMessage, receivedAt: Date) -> DeviceLiveState {
        var slot = state.withLock { $0.slot(decoded.deviceID) } ?? LiveSlot()
        slot.absorb(decoded, receivedAt: receivedAt)
        return slot.state(of: decoded.deviceID)
    }

    /// One durable transaction of ingest committed `messages` messages (a group commit when
    /// more than one).
    func countCommit(messages: Int) {
        state.withLock { state in
            state.counters.durableCommits += 1
            state.counters.durablyCommittedMessages += messages
        }
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

    func ignore(format: PayloadFormat?, retained: Bool = false) {
        state.withLock { state in
            state.counters.received += 1
            if retained { state.counters.retained += 1 }
            if let format { state.counters.count(format) }
        }
    }

    /// Takes the states changed since the last call, and the rejections waiting to be kept.
    func takeBatch() -> (states: [DeviceLiveState], rejections: [RejectedMessage]) {
        state.withLock { state in
            var states: [DeviceLiveState] = []
            states.reserveCapacity(state.dirty.count + state.dirtyStrangers.count)
            for position in state.dirty.map(Int.init) {
                state.slots[position].dirty = false
                states.append(state.slots[position].state(of: state.registry.deviceID(at: position)))
            }
            for id in state.dirtyStrangers {
                state.strangers[id]?.dirty = false
                if let slot = state.strangers[id] { states.append(slot.state(of: id)) }
            }
            state.dirty.removeAll(keepingCapacity: true)
            state.dirtyStrangers.removeAll(keepingCapacity: true)
            let rejections = state.rejections
            state.rejections.removeAll()
            return (states, rejections)
        }
    }

    /// Puts back a batch whose write failed, so that the next flush tries it again.
    func restore(_ batch: (states: [DeviceLiveState], rejections: [RejectedMessage])) {
        state.withLock { state in
            for device in batch.states {
                let position = state.registry.position(of: device.deviceID)
                let relist = state.withSlot(device.deviceID, at: position) { slot in
                    guard !slot.dirty else { return false }
                    slot.dirty = true
                    return true
                }
                guard relist else { continue }
                if let position { state.dirty.append(Int32(position)) } else { state.dirtyStrangers.append(device.deviceID) }
            }
            state.rejections.insert(
                contentsOf: batch.rejections.prefix(Self.rejectionBacklogLimit - state.rejections.count), at: 0)
        }
    }

    var counters: IngestCounters { state.withLock { $0.counters } }

    /// When detector `id` was last heard, if ever.
    func lastHeard(_ id: String) -> Date? {
        state.withLock { state in
            state.slot(id).flatMap { $0.hasBeenHeard ? Date(timeIntervalSince1970: $0.lastSeen) : nil }
        }
    }

    /// Whether detector `id` has an open `offline` incident (as far as supervision knows).
    func isOffline(_ id: String) -> Bool {
        state.withLock { $0.offline.contains(id) }
    }

    /// When detector `id` must next be heard by: its last-heard time (or `start`, if never
    /// heard) plus `offlineAfter`. A detector past it is marked offline in the same step, so a
    /// heartbeat that races the check is never missed; nil for a detector already offline.
    func expectedBy(_ id: String, offlineAfter: TimeInterval, start: Date, now: Date) -> Date? {
        expectedBy(id, at: nil, of: -1, offlineAfter: offlineAfter, start: start, now: now)
    }

    /// `expectedBy` for the registered detector at `position` of the registry of `generation`,
    /// sparing the lookup while that registry is still the one in force.
    func expectedBy(
        _ id: String, at position: Int?, of generation: Int, offlineAfter: TimeInterval, start: Date, now: Date
    ) -> Date? {
        state.withLock { state in
            guard !state.offline.contains(id) else { return nil }
            let position = generation == state.generation ? position : state.registry.position(of: id)
            // Nobody is heard in the future: a last-heard time ahead of now was stored before the
            // wall clock stepped back (and read back at start), and must not buy extra silence.
            let heard = min(state.slot(id, at: position).map(\.lastSeen) ?? -.infinity, now.timeIntervalSince1970)
            let deadline = Date(timeIntervalSince1970: max(heard, start.timeIntervalSince1970) + offlineAfter)
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

    /// Moves every last-heard time by `seconds`: the wall clock stepped by as much (see
    /// `ClockStepWatch`), and unheard time is measured on the monotonic clock. The device table is
    /// not rewritten: its `last_seen_at` is a record, written again at each detector's next flush.
    func shift(by seconds: TimeInterval) {
        state.withLock { state in
            for position in state.slots.indices where state.slots[position].hasBeenHeard {
                state.slots[position].lastSeen += seconds
            }
            for id in Array(state.strangers.keys) where state.strangers[id]?.hasBeenHeard == true {
                state.strangers[id]?.lastSeen += seconds
            }
        }
    }

    /// Takes the offline detectors heard again since the last call. (Detectors heard for the
    /// first time need no news: only registered detectors are supervised, all from the start.)
    func takeRevived() -> [String] {
        state.withLock { state in
            defer { state.revived.removeAll() }
            return state.revived
        }
    }

    /// Detectors heard at least once, listed or not.
    var heardCount: Int {
        state.withLock { state in
            state.slots.reduce(0) { $0 + ($1.hasBeenHeard ? 1 : 0) } + state.strangers.values.filter(\.hasBeenHeard).count
        }
    }

    /// Lays the slots out by a reloaded `registry` and returns its generation. Each detector's
    /// live state moves with its id: a registered detector to its new position, a stranger now
    /// listed into its slot, a detector no longer listed (if it was ever heard) among the
    /// strangers. What waits for the next flush still does. The lookups are made before the
    /// lock is taken: ingest waits only for the slots to be moved.
    func adopt(_ registry: DeviceRegistry) -> Int {
        let (old, generation) = state.withLock { ($0.registry, $0.generation) }
        let moves = old.indices.map { registry.position(of: old.deviceID(at: $0)).map(Int32.init) ?? -1 }
        return state.withLock { state in
            // Only a reload adopts, one at a time: the registry looked up is still the one in force.
            precondition(state.generation == generation, "registries adopted concurrently")
            var slots = [LiveSlot](repeating: LiveSlot(), count: registry.count)
            var dirty: [Int32] = []
            for (position, target) in moves.enumerated() {
                let slot = state.slots[position]
                if target >= 0 {
                    slots[Int(target)] = slot
                    if slot.dirty { dirty.append(target) }
                } else if slot.hasBeenHeard {
                    let id = old.deviceID(at: position)
                    state.strangers[id] = slot
                    if slot.dirty { state.dirtyStrangers.append(id) }
                }
            }
            for (id, slot) in state.strangers {
                guard let target = registry.position(of: id) else { continue }
                slots[target] = slot
                state.strangers[id] = nil
                if slot.dirty { dirty.append(Int32(target)) }
            }
            state.dirtyStrangers.removeAll { state.strangers[$0] == nil }
            state.slots = slots
            state.dirty = dirty
            state.registry = registry
            state.generation += 1
            return state.generation
        }
    }
}
