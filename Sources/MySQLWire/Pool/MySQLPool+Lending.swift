// Acquire and release: the bookkeeping is `PoolState` under the mutex; connecting, resetting,
// closing and resuming waiters happen outside it.

extension MySQLPool {
    /// A connection for the caller: an idle one that is still healthy, a new one, or the next
    /// one released (in line behind earlier waiters).
    nonisolated(nonsending) func acquire() async throws -> Lease {
        while true {
            switch try await reserve() {
            case .connection(let lease):
                // Broken or too old while idle (or while lent to the previous borrower's reset):
                // replace it.
                if lease.connection.health.isClosed || isExpired(lease) {
                    // Replaced in the same slot, keeping this caller's turn.
                    let keepsSlot = transition { pool in (pool.replaceForCaller(), []) }
                    Task { await lease.connection.close() }
                    if keepsSlot { return try await openConnection() }
                    throw Self.shutDownError
                }
                lease.connection.health.markClean()
                return lease
            case .connect:
                return try await openConnection()
            }
        }
    }

    /// Takes an idle connection, or a slot to open one, or a place in line.
    private nonisolated(nonsending) func reserve() async throws -> Grant {
        // Fast path, in the same lock as the waiter id: an idle connection and nobody in line
        // needs no continuation and no cancellation handler.
        let (idle, id) = state.withLock { locked in
            (locked.pool.takeIdleIfNobodyWaits(), locked.pool.makeWaiterID())
        }
        if let idle { return .connection(Lease(connection: idle.connection, createdAt: idle.createdAt)) }
        let deadline = options.acquireTimeout.map { ContinuousClock.now + $0 }
        return try await withTaskCancellationHandler {
            // Unsafe rather than checked (an allocation less per wait): a waiter leaves the line
            // under the lock before it is resumed, so it is resumed once.
            try await withUnsafeThrowingContinuation { (waiter: Waiter) in
                let (decision, startTimer) = state.withLock { locked in
                    let decision = locked.pool.acquire(id: id, deadline: deadline, waiter: waiter)
                    var startTimer = false
                    if case .wait = decision, deadline != nil, !locked.timerRunning {
                        locked.timerRunning = true
                        startTimer = true
                    }
                    return (decision, startTimer)
                }
                switch decision {
                case .use(let connection, let createdAt):
                    waiter.resume(returning: .connection(Lease(connection: connection, createdAt: createdAt)))
                case .connect:
                    waiter.resume(returning: .connect)
                case .shutDown:
                    waiter.resume(throwing: Self.shutDownError)
                case .wait:
                    if startTimer { startAcquireTimer() }
                    // Cancelled before the handler below could find the waiter in line.
                    if Task.isCancelled, let waiter = state.withLock({ $0.pool.cancelWaiter(id: id) }) {
                        waiter.resume(throwing: Self.cancelledError)
                    }
                }
            }
        } onCancel: {
            if let waiter = state.withLock({ $0.pool.cancelWaiter(id: id) }) {
                waiter.resume(throwing: Self.cancelledError)
            }
        }
    }

    /// Opens a connection for a reserved slot.
    private func openConnection() async throws -> Lease {
        do {
            let connection = try await MySQLConnection.connect(configuration: configuration, logger: logger)
            let created = ContinuousClock.now
            transition { $0.connected(success: true) }
            return Lease(connection: connection, createdAt: created)
        } catch {
            logger.debug("pool could not open a connection", metadata: ["error": "\(error)"])
            transition { $0.connected(success: false) }
            throw error
        }
    }

    /// Takes a connection back: to the next waiter, to the idle ones, or (broken, too old, or
    /// the pool shut down) closed. A session that may have changed is reset first.
    func release(_ lease: Lease) {
        let connection = lease.connection
        if connection.health.isBusy && !connection.health.isClosed {
            // The borrower left work running (the rest of a CALL or of several statements is
            // being drained): the next borrower must neither wait behind it nor inherit what
            // it changes. A ping queued behind it answers once it is done (or closes the
            // connection after `housekeepingTimeout`); then the usual checks.
            Task {
                let alive = (try? await connection.ping(closingAfter: self.housekeepingTimeout)) != nil
                self.releaseIdle(lease, reusable: alive)
            }
            return
        }
        releaseIdle(lease, reusable: true)
    }

    /// `release` of a connection with nothing running: reset if needed, then given back.
    private func releaseIdle(_ lease: Lease, reusable: Bool) {
        let connection = lease.connection
        guard reusable else { return giveBack(lease, reusable: false) }
        let reset: Bool
        switch options.resetOnRelease {
        case .always: reset = true
        case .whenDirty: reset = connection.health.isDirty
        case .never: reset = false
        }
        if reset && !connection.health.isClosed {
            // Off the caller's path; the connection counts as in use until it is clean.
            Task {
                let clean = (try? await connection.resetConnection(closingAfter: self.housekeepingTimeout)) != nil
                self.giveBack(lease, reusable: clean)
            }
            return
        }
        giveBack(lease, reusable: true)
    }

    func giveBack(_ lease: Lease, reusable: Bool) {
        let healthy = reusable && !lease.connection.health.isClosed && !isExpired(lease)
        transition { $0.release(lease.connection, createdAt: lease.createdAt, reusable: healthy, now: .now) }
    }

    /// Runs one bookkeeping step under the lock, then carries out its handoffs; a shut-down
    /// pool with nothing lent or opening any more lets `shutdown()` return. Every step that
    /// can free a connection or a slot goes through here, so no path forgets the drain.
    func transition(
        _ step: @Sendable (inout PoolState<MySQLConnection, Waiter>) -> [PoolState<MySQLConnection, Waiter>.Handoff]
    ) {
        transition { pool in ((), step(&pool)) }
    }

    /// `transition` for a step that also answers the caller.
    func transition<Answer: Sendable>(
        _ step:
            @Sendable (inout PoolState<MySQLConnection, Waiter>) -> (
                Answer, [PoolState<MySQLConnection, Waiter>.Handoff]
            )
    ) -> Answer {
        let (answer, handoffs, drained) = state.withLock { locked in
            let (answer, handoffs) = step(&locked.pool)
            return (answer, handoffs, locked.pool.isDrained ? locked.takeDrainWaiters() : [])
        }
        perform(handoffs)
        for waiter in drained { waiter.resume() }
        return answer
    }

    /// How long a keep-alive ping or a reset on release may wait for the server before the
    /// connection is closed: the read timeout if set, else the connect timeout.
    var housekeepingTimeout: Duration { configuration.readTimeout ?? configuration.connectTimeout }

    func isExpired(_ lease: Lease) -> Bool {
        guard let lifetime = options.maximumLifetime else { return false }
        return ContinuousClock.now - lease.createdAt >= lifetime
    }

    /// Carries out what the state asked for, outside the lock.
    func perform(_ handoffs: [PoolState<MySQLConnection, Waiter>.Handoff]) {
        for handoff in handoffs {
            switch handoff {
            case .give(let waiter, let connection, let createdAt):
                waiter.resume(returning: .connection(Lease(connection: connection, createdAt: createdAt)))
            case .connectFor(let waiter):
                waiter.resume(returning: .connect)
            case .fail(let waiter, let failure):
                switch failure {
                case .timedOut: waiter.resume(throwing: timeoutError())
                case .shutDown: waiter.resume(throwing: Self.shutDownError)
                case .cancelled: waiter.resume(throwing: Self.cancelledError)
                }
            case .close(let connection):
                Task { await connection.close() }
            }
        }
    }

    /// Fails waiters whose acquire timeout passed; runs while anyone waits with a deadline.
    private func startAcquireTimer() {
        Task {
            while true {
                let next: ContinuousClock.Instant? = state.withLock { locked in
                    if let deadline = locked.pool.nextDeadline { return deadline }
                    locked.timerRunning = false
                    return nil
                }
                guard let next else { return }
                try? await Task.sleep(until: next, clock: .continuous)
                transition { $0.expireWaiters(now: .now) }
            }
        }
    }

    static let shutDownError = MySQLError(
        .connectionClosed, "the pool was shut down with shutdown(); create a new MySQLPool")
    static let cancelledError = MySQLError(
        .cancelled, "the task was cancelled while waiting for a connection from the pool")

    func timeoutError() -> MySQLError {
        let timeout = options.acquireTimeout.map { "\($0)" } ?? "none"
        return MySQLError(
            .timeout,
            "no pool connection became free within the acquire timeout (\(timeout)); all \(options.maximumConnections) are in use: raise maximumConnections or acquireTimeout, or hold connections for shorter"
        )
    }
}

extension MySQLPool.Locked {
    mutating func takeDrainWaiters() -> [CheckedContinuation<Void, Never>] {
        defer { drainWaiters.removeAll() }
        return Array(drainWaiters.values)
    }
}
