import Glibc

/// Looks `name` up in the already-loaded libc, for functions Swift's Glibc module does not import
/// (epoll, eventfd, pthread_setname_np need headers or _GNU_SOURCE it lacks). Every Linux glibc
/// has these symbols, so a miss is a broken system, not a condition to handle.
func libcFunction<F>(_ name: String) -> F {
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, name) else {
        fatalError("MySQLWireIO: libc symbol \(name) not found")
    }
    // The symbol is the C function `name`, whose C signature F (a @convention(c) type) mirrors.
    return unsafeBitCast(symbol, to: F.self)
}

private typealias PthreadSetName = @convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32
// A C function pointer resolved once; immutable after lazy init, so sharing is safe.
private nonisolated(unsafe) let pthreadSetName: PthreadSetName = libcFunction("pthread_setname_np")

/// Names the calling thread (visible in top -H, gdb, perf). At most 15 bytes, else it fails.
func setCurrentThreadName(_ name: String) {
    _ = pthreadSetName(pthread_self(), name)
}
