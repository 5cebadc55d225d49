import ServiceLifecycle

// run() and shutdown(): the housekeeping loop and the drain.

extension MySQLPool {
    /// Keeps the pool in shape until `shutdown()` (or a graceful shutdown of the
    /// `ServiceGroup`, or cancellation of the calling task): opens the minimum connections,
    /// closes idle ones past `idleTimeout` and any past `maximumLifetime`, pings idle ones every
    /// `keepAliveInterval` and replaces those that do not answer. Returns once the pool is shut
    /// down and every lent connection came back.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await housekeeping()
            } onCancel: {
                self.beginShutdown()
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
        await drained()
    }

    /// Stops lending: waiters fail, idle connections close, lent connections close as they
    /// come back. Returns when none is lent out any more. Later acquires fail with
    /// `.connectionClosed`. Idempotent.
    public func shutdown() async {
        beginShutdown()
        await drained()
    }

    func beginShutdown() {
        let handoffs = state.withLock { locked in
            locked.pool.isShutDown ? [] : locked.pool.shutDown()
        }
        perform(handoffs)
    }

    /// Waits until nothing is lent out after shutdown. A cancelled caller stops waiting (a
    /// ServiceGroup that escalates to cancellation ends `run()`); connections still lent are
    /// closed when they come back, as always after shutdown.
    private func drained() async {
        let id = state.withLock { locked in
            defer { locked.nextDrainWaiterID += 1 }
            return locked.nextDrainWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { locked in
                    if locked.pool.isDrained || Task.isCancelled { return true }
                    locked.drainWaiters[id] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.drainWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// The period of the housekeeping loop: a quarter of the shortest interval it enforces,
    /// between 50 ms and 1 s.
    var housekeepingPeriod: Duration {
        let intervals = [options.idleTimeout, options.maximumLifetime, options.keepAliveInterval].compactMap { $0 }
        let shortest = intervals.min() ?? .seconds(4)
        return min(max(shortest / 4, .milliseconds(50)), .seconds(1))
    }

    private func housekeeping() async {
        while !state.withLock({ $0.pool.isShutDown }) {
            await tidy()
            try? await Task.sleep(for: housekeepingPeriod)
        }
    }

    /// One round: evict, ping, top up to the minimum.
    func tidy() async {
        let now = ContinuousClock.now
        let (evicted, pings, warmUps) = state.withLock { locked in
            let evicted = locked.pool.evictIdle(
                now: now, idleTimeout: options.idleTimeout, maximumLifetime: options.maximumLifetime)
            let pings = options.keepAliveInterval.map { locked.pool.takeForKeepAlive(now: now, interval: $0) } ?? []
            return (evicted, pings, locked.pool.reserveWarmUps())
        }
        for connection in evicted { await connection.close() }
        await withTaskGroup(of: Void.self) { group in
            for entry in pings {
                group.addTask {
                    let alive =
                        (try? await entry.connection.ping(closingAfter: self.housekeepingTimeout)) != nil
                        && !entry.connection.health.isClosed
                    if !alive { self.logger.debug("pool: an idle connection did not answer its ping; replacing it") }
                    self.transition { $0.pinged(entry, alive: alive, now: .now) }
                }
            }
            for _ in 0..<warmUps {
                group.addTask {
                    do {
                        let connection = try await MySQLConnection.connect(
                            configuration: self.configuration, logger: self.logger)
                        self.transition { $0.warmedUp(connection, now: .now) }
                    } catch {
                        self.logger.debug("pool could not open a connection", metadata: ["error": "\(error)"])
                        self.transition { $0.connected(success: false) }
                    }
                }
            }
        }
    }
}
