import Glibc

/// Monotonic time (CLOCK_MONOTONIC), nanoseconds. A point in time, not a duration: pass one
/// deadline down through connect, handshake and query so nested steps share the same budget.
public struct Deadline: Comparable, Hashable, Sendable {
    public var uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
    }

    public static func now() -> Deadline {
        var ts = timespec()
        // CLOCK_MONOTONIC never fails on Linux with a valid pointer; it does not jump with wall time.
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Deadline(uptimeNanoseconds: UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec))
    }

    /// Never reached: the "no deadline" value. Timer math saturates at it.
    public static let distantFuture = Deadline(uptimeNanoseconds: .max)

    /// Saturating: adding a huge duration gives `distantFuture`, a negative one stops at 0.
    public static func + (lhs: Deadline, rhs: Duration) -> Deadline {
        let delta = rhs.nanosecondsClamped
        if delta == .max { return .distantFuture }  // ≥ 292 years: "forever"
        if delta >= 0 {
            let (sum, overflow) = lhs.uptimeNanoseconds.addingReportingOverflow(UInt64(delta))
            return Deadline(uptimeNanoseconds: overflow ? .max : sum)
        } else {
            let magnitude = delta.magnitude
            return Deadline(
                uptimeNanoseconds: lhs.uptimeNanoseconds > magnitude ? lhs.uptimeNanoseconds - magnitude : 0)
        }
    }

    /// Convenience for `Deadline.now() + duration`.
    public static func after(_ duration: Duration) -> Deadline {
        .now() + duration
    }

    /// Time left until the deadline; zero once it has passed.
    public var remaining: Duration {
        let now = Deadline.now().uptimeNanoseconds
        guard uptimeNanoseconds > now else { return .zero }
        return .nanoseconds(uptimeNanoseconds - now)
    }

    /// Time since `earlier`, zero if `earlier` is later. Used for "timed out after 5 s" messages.
    public func distance(since earlier: Deadline) -> Duration {
        guard uptimeNanoseconds > earlier.uptimeNanoseconds else { return .zero }
        return .nanoseconds(uptimeNanoseconds - earlier.uptimeNanoseconds)
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.uptimeNanoseconds < rhs.uptimeNanoseconds
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to Int64 (±292 years), so deadline math never traps.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (secNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = secNanos.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return total
    }

    /// Human text for error messages: "250 ms", "5.0 s". Rounded to nearest, since limits are
    /// measured from a slightly later "now" than the caller's (149.98 ms should read 150 ms).
    var humanReadable: String {
        let nanos = max(0, nanosecondsClamped)
        if nanos < 999_500_000 {
            return "\((nanos + 500_000) / 1_000_000) ms"
        }
        let tenths = nanos / 100_000_000 + (nanos % 100_000_000 >= 50_000_000 ? 1 : 0)
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
