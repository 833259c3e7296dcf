import Foundation

/// When each detector must next be heard from, in a binary min-heap.
///
/// A heartbeat costs nothing here: each detector has one entry, and only when its entry
/// falls due is its last-heard time looked up; a detector heard since is simply put back
/// with its new deadline. So a million detectors cost a handful of heap operations per
/// `offline_after`, never a scan of the fleet.
public struct OfflineWatch: Sendable {
    private var heap: [(deadline: Double, device: String)] = []

    public init() {}

    public var count: Int { heap.count }

    /// The earliest deadline watched, if any.
    public var nextDeadline: Date? { heap.first.map { Date(timeIntervalSince1970: $0.deadline) } }

    /// Expects `device` to be heard by `deadline`.
    public mutating func watch(_ device: String, until deadline: Date) {
        heap.append((deadline.timeIntervalSince1970, device))
        siftUp(heap.count - 1)
    }

    /// Moves every deadline by `seconds`: the caller's clock was stepped by as much (its
    /// deadlines are wall times). The order of the heap is unchanged.
    public mutating func shift(by seconds: TimeInterval) {
        for index in heap.indices { heap[index].deadline += seconds }
    }

    /// Takes the detectors whose deadline has passed by `now`. For each, `expected` gives the
    /// time it must now be heard by (its last-heard time plus its `offline_after`), or nil to
    /// stop watching it. Those still in time are watched again; the rest are returned, unheard,
    /// and no longer watched until the caller watches them again.
    public mutating func sweep(at now: Date, limit: Int = .max, expected: (String) -> Date?) -> [String] {
        var unheard: [String] = []
        let cutoff = now.timeIntervalSince1970
        while let first = heap.first, first.deadline <= cutoff, unheard.count < limit {
            popFirst()
            guard let deadline = expected(first.device) else { continue }
            if deadline.timeIntervalSince1970 > cutoff {
                watch(first.device, until: deadline)
            } else {
                unheard.append(first.device)
            }
        }
        return unheard
    }

    private mutating func popFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
