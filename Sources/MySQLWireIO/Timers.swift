/// Identifies a scheduled timer so it can be cancelled. Unique per loop for the loop's lifetime.
public struct TimerID: Hashable, Sendable {
    let rawValue: UInt64
}

/// A binary min-heap of deadlines, owned by one loop thread (no locks). Cancellation is lazy:
/// `cancel` drops the callback and the heap entry is skipped when it surfaces, which makes the
/// common "schedule a query timeout, cancel it when the answer arrives" O(1) plus a hash. When
/// cancelled entries outnumber live ones the heap is rebuilt, so it cannot grow without bound.
struct TimerQueue {
    private struct Entry {
        var deadline: UInt64
        var id: UInt64

        /// Equal deadlines fire in scheduling order (ids increase).
        func firesBefore(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : id < other.id
        }
    }

    private var heap: [Entry] = []
    private var callbacks: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 0

    var isEmpty: Bool { callbacks.isEmpty }
    var count: Int { callbacks.count }

    mutating func schedule(at deadline: Deadline, _ callback: @escaping () -> Void) -> TimerID {
        let id = nextID
        nextID += 1
        callbacks[id] = callback
        heap.append(Entry(deadline: deadline.uptimeNanoseconds, id: id))
        siftUp(heap.count - 1)
        return TimerID(rawValue: id)
    }

    mutating func cancel(_ id: TimerID) {
        guard callbacks.removeValue(forKey: id.rawValue) != nil else { return }
        // Rebuild when most of the heap is dead weight; amortised O(1) per cancel.
        if heap.count > 64 && heap.count > 2 * callbacks.count {
            let live = callbacks  // a COW reference, so the closure does not overlap `self`
            heap.removeAll { live[$0.id] == nil }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) {
                siftDown(index)
            }
        }
    }

    /// The earliest live deadline, dropping cancelled entries found on top.
    mutating func earliestDeadline() -> UInt64? {
        while let top = heap.first {
            if callbacks[top.id] != nil { return top.deadline }
            removeTop()
        }
        return nil
    }

    /// Removes and returns the callback of the earliest timer if it is due at `now` and was
    /// scheduled before `idLimit` (timers added by callbacks wait for the next iteration, so a
    /// callback that re-arms itself at "now" cannot starve IO).
    mutating func popExpired(now: UInt64, idLimit: UInt64) -> (() -> Void)? {
        while let top = heap.first, top.deadline <= now {
            guard let callback = callbacks[top.id] else {
                removeTop()
                continue
            }
            guard top.id < idLimit else { return nil }
            callbacks[top.id] = nil
            removeTop()
            return callback
        }
        return nil
    }

    /// Ids below this value exist now; see `popExpired`.
    var idWatermark: UInt64 { nextID }

    mutating func removeAll() {
        heap.removeAll()
        callbacks.removeAll()
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let entry = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.firesBefore(heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let entry = heap[parent]
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && heap[child + 1].firesBefore(heap[child]) { child += 1 }
            guard heap[child].firesBefore(entry) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = entry
    }
}

extension EventLoop {
    /// Loop thread only. Runs `callback` on the loop once `deadline` has passed (epoll_wait has
    /// millisecond resolution, so up to ~1 ms late). Equal deadlines fire in scheduling order.
    @discardableResult
    public func scheduleTimer(at deadline: Deadline, _ callback: @escaping () -> Void) -> TimerID {
        precondition(inEventLoop, "scheduleTimer must be called on loop '\(name)'")
        return timers.schedule(at: deadline, callback)
    }

    /// Loop thread only. `scheduleTimer(at: .now() + delay, callback)`.
    @discardableResult
    public func scheduleTimer(in delay: Duration, _ callback: @escaping () -> Void) -> TimerID {
        scheduleTimer(at: .now() + delay, callback)
    }

    /// Loop thread only. A timer that already fired or was cancelled is ignored.
    public func cancelTimer(_ id: TimerID) {
        precondition(inEventLoop, "cancelTimer must be called on loop '\(name)'")
        timers.cancel(id)
    }
}
