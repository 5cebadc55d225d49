/// The loop as a Swift executor: an actor whose `unownedExecutor` is the loop runs its methods on
/// the loop thread, and a task started with `withTaskExecutorPreference(loop)` runs its
/// nonisolated code there, so a query issued from such a task needs no thread hop at all.
extension EventLoop {
    /// SerialExecutor + TaskExecutor. From the loop thread: appended to the local queue, no lock.
    public func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Called by the runtime (e.g. `assumeIsolated`) when it cannot prove isolation itself.
    public func checkIsolated() {
        precondition(inEventLoop, "not on event loop '\(name)'")
    }

    /// Lets `assumeIsolated` and isolation checks succeed without trapping on the loop thread.
    public func isIsolatingCurrentContext() -> Bool? {
        inEventLoop
    }
}

/// The loop as a `TaskExecutor`: `withTaskExecutorPreference(loop.taskExecutor) { … }` runs a
/// task's nonisolated code on the loop thread. A separate object from the loop's
/// `SerialExecutor` role so the loop can tell the two kinds of jobs apart.
public final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `loop` is immutable and the loop itself is thread-safe to submit to.
    public unowned let loop: EventLoop

    init(loop: EventLoop) { self.loop = loop }

    public func enqueue(_ job: consuming ExecutorJob) {
        loop.submitTaskJob(UnownedJob(job))
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}

extension EventLoop {
    func submitTaskJob(_ job: UnownedJob) {
        // A task that prefers a loop that has shut down goes on on the global executor (a
        // preference, not isolation), instead of being dropped and waiting forever.
        if !submit(.taskJob(job)) {
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        }
    }
}
