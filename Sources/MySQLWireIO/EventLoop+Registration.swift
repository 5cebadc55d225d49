import Glibc

extension EventLoop {
    /// Loop thread only. Starts delivering readiness for `fd` to `handler` (held strongly until
    /// `deregister`). Level-triggered. An empty interest registers the handler without adding the
    /// fd to the epoll set.
    public func register(_ fd: Int32, interest: IOInterest, handler: any IOEventHandler) throws(IOError) {
        precondition(inEventLoop, "register must be called on loop '\(name)'")
        precondition(fd >= 0, "register of invalid fd \(fd)")
        let index = Int(fd)
        if index >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: index + 1 - registrations.count))
        }
        guard registrations[index] == nil else {
            throw IOError(.errno(EEXIST), "fd \(fd) is already registered with loop '\(name)'")
        }
        nextGeneration &+= 1
        let registration = Registration(handler: handler, interest: interest, generation: nextGeneration)
        if !interest.isEmpty {
            try control(Epoll.ctlAdd, fd, registration, "register fd \(fd)")
        }
        registrations[index] = registration
    }

    /// Loop thread only. No syscall if unchanged. Empty interest removes the fd from the epoll
    /// set (see IOEventHandler for why); the registration and handler stay.
    public func setInterest(_ fd: Int32, _ interest: IOInterest) throws(IOError) {
        precondition(inEventLoop, "setInterest must be called on loop '\(name)'")
        let index = Int(fd)
        guard fd >= 0, index < registrations.count, var registration = registrations[index] else {
            throw IOError(.closed, "setInterest: fd \(fd) is not registered with loop '\(name)'")
        }
        let old = registration.interest
        guard old != interest else { return }
        registration.interest = interest
        if old.isEmpty {
            try control(Epoll.ctlAdd, fd, registration, "add fd \(fd)")
        } else if interest.isEmpty {
            try control(Epoll.ctlDel, fd, registration, "remove fd \(fd)")
        } else {
            try control(Epoll.ctlMod, fd, registration, "modify fd \(fd)")
        }
        registrations[index] = registration
    }

    /// Loop thread only. Idempotent. Call before closing the fd; events already collected for
    /// it in this iteration are discarded.
    public func deregister(_ fd: Int32) {
        precondition(inEventLoop, "deregister must be called on loop '\(name)'")
        let index = Int(fd)
        guard fd >= 0, index < registrations.count, let registration = registrations[index] else { return }
        registrations[index] = nil
        if !registration.interest.isEmpty {
            // Fails only if the fd was already closed, which removed it from the set anyway.
            _ = Epoll.control(epollFD, Epoll.ctlDel, fd, events: 0, data: 0)
        }
    }

    /// Whether `fd` currently has a handler on this loop. Loop thread only.
    public func isRegistered(_ fd: Int32) -> Bool {
        precondition(inEventLoop, "isRegistered must be called on loop '\(name)'")
        return fd >= 0 && Int(fd) < registrations.count && registrations[Int(fd)] != nil
    }

    private func control(_ op: Int32, _ fd: Int32, _ registration: Registration, _ what: String) throws(IOError) {
        var mask: UInt32 = 0
        if registration.interest.contains(.readable) { mask |= Epoll.readable }
        if registration.interest.contains(.writable) { mask |= Epoll.writable }
        let token = UInt64(UInt32(bitPattern: fd)) | UInt64(registration.generation) << 32
        guard Epoll.control(epollFD, op, fd, events: mask, data: token) == 0 else {
            throw IOError.lastErrno("epoll_ctl: \(what) on loop '\(name)' failed")
        }
    }
}
