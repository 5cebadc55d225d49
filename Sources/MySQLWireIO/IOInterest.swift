/// Which readiness events a registered descriptor wants.
public struct IOInterest: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let readable = IOInterest(rawValue: 1 << 0)
    public static let writable = IOInterest(rawValue: 1 << 1)
}

/// Receives readiness events on the loop thread. With level-triggered epoll, `ioReadable` is
/// called on every loop iteration while the fd is readable and the interest includes .readable.
/// EPOLLHUP/EPOLLERR are delivered as `ioReadable` when the interest includes .readable, and as
/// `ioWritable` when it includes .writable (the read or write then reports EOF/the error).
/// A descriptor with an empty interest is removed from the epoll set, so a hang-up on a paused
/// socket cannot make the loop spin; it is seen when interest is restored.
///
/// The loop keeps a strong reference to the handler until `deregister`.
public protocol IOEventHandler: AnyObject {
    func ioReadable()
    func ioWritable()
    /// The loop is shutting down with this registration still in place: no event or timer will
    /// come any more. Called on the loop thread, which runs nothing queued after this: answer
    /// whoever waits and close the descriptor now.
    func ioLoopClosing()
}

extension IOEventHandler {
    public func ioLoopClosing() {}
}
