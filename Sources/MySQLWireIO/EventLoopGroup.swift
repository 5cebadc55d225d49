import Glibc
import Synchronization

/// A fixed set of loops, handed out round robin. Connections are spread over the loops and each
/// stays on the loop it was given.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let counter = Atomic<UInt>(0)

    public init(numberOfThreads: Int) throws(IOError) {
        precondition(numberOfThreads > 0, "EventLoopGroup needs at least one thread")
        var loops: [EventLoop] = []
        loops.reserveCapacity(numberOfThreads)
        do {
            for index in 0..<numberOfThreads {
                loops.append(try EventLoop(name: "mysqlwire-io-\(index)"))
            }
        } catch {
            for loop in loops { loop.shutdown() }
            throw error
        }
        self.loops = loops
    }

    /// One loop per online core, created on first use and never shut down (its threads sleep in
    /// epoll_wait when idle, costing nothing).
    public static let shared: EventLoopGroup = {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        do {
            return try EventLoopGroup(numberOfThreads: max(1, cores))
        } catch {
            fatalError("could not start the shared EventLoopGroup: \(error)")
        }
    }()

    /// Round robin; thread-safe (one relaxed atomic add).
    public func next() -> EventLoop {
        let ticket = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[Int(ticket % UInt(loops.count))]
    }

    /// The calling thread's loop if it belongs to this group (no hop for work started there),
    /// otherwise `next()`.
    public func any() -> EventLoop {
        if let current = EventLoop.current, loops.contains(where: { $0 === current }) {
            return current
        }
        return next()
    }

    /// Shuts every loop down (see `EventLoop.shutdown`). Not on one of the group's own threads.
    public func shutdown() {
        for loop in loops { loop.shutdown() }
    }
}
