import Synchronization

/// OpenSSL contexts by configuration, shared by the connections that use the same one: a pool
/// of N connections parses its CA bundle and key once, not N times on the loop thread. An
/// entry is rebuilt after `maximumAge`, so replaced certificate or CA files are picked up.
public final class TLSContextCache: Sendable {
    public static let shared = TLSContextCache()

    struct Entry {
        let context: TLSContext
        let created: ContinuousClock.Instant
    }

    private let entries = Mutex<[TLSClientConfiguration: Entry]>([:])
    private let maximumAge: Duration
    private let capacity: Int

    init(maximumAge: Duration = .seconds(60), capacity: Int = 32) {
        self.maximumAge = maximumAge
        self.capacity = capacity
    }

    /// A context for `configuration`: the cached one while it is young enough, else a new one.
    /// Building happens outside the lock; two callers may build at once, and the later one wins.
    public func context(for configuration: TLSClientConfiguration) throws(IOError) -> TLSContext {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[configuration] }), now - entry.created < maximumAge {
            return entry.context
        }
        let context = try TLSContext(configuration)
        entries.withLock { entries in
            entries = entries.filter { now - $0.value.created < maximumAge }
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.created < $1.value.created }) {
                entries[oldest.key] = nil
            }
            entries[configuration] = Entry(context: context, created: now)
        }
        return context
    }
}
