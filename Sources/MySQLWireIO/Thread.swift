import Glibc

/// Carries a closure into a new pthread. Retained once before `pthread_create`, released by the
/// new thread (or by the creator when creation fails), so exactly one side frees it.
private final class ThreadBody {
    let name: String
    let body: () -> Void
    init(name: String, _ body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }
}

/// Starts a pthread running `body`. Plain pthreads instead of Foundation's Thread: no Foundation
/// dependency, and the loop needs the `pthread_t` for `inEventLoop` and `pthread_join`.
/// - Parameter detached: detached threads free themselves; joinable ones must be joined.
func spawnThread(
    name: String, detached: Bool, _ body: @escaping @Sendable () -> Void
) throws(IOError) -> pthread_t {
    // `attributes` and `thread` are locals that outlive every pthread call taking their address.
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if detached {
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    }

    // +1 retain travels through pthread_create's void*; exactly one side below releases it.
    let context = Unmanaged.passRetained(ThreadBody(name: threadName(name), body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, &attributes,
        { raw in
            // `raw` is the pointer retained above; takeRetainedValue balances that retain.
            let box = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
            // Named from inside: a detached thread's handle may already be invalid outside.
            setCurrentThreadName(box.name)
            box.body()
            return nil
        }, context)
    guard rc == 0 else {
        // The thread never started, so the retain it would have balanced is ours to drop.
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        throw IOError.errno(rc, "could not start thread '\(name)'")
    }
    return thread
}

/// Linux limits thread names to 15 bytes plus NUL (longer names make the call fail), so cut at
/// a character boundary.
private func threadName(_ name: String) -> String {
    var result = ""
    for character in name {
        if result.utf8.count + character.utf8.count > 15 { break }
        result.append(character)
    }
    return result
}
