import Glibc

/// epoll and eventfd, which Swift's Glibc module does not import (no <sys/epoll.h>,
/// <sys/eventfd.h>) and this target cannot add a C shim for. The functions are looked up once
/// with dlsym and called through `@convention(c)` pointers (the real C ABI, unlike
/// `@_silgen_name`); `struct epoll_event` is read and written as raw bytes because it is packed
/// on x86_64 (12 bytes) and padded elsewhere (16 bytes), which a Swift struct cannot express.
enum Epoll {
    static let cloexec = Int32(O_CLOEXEC)  // EPOLL_CLOEXEC == O_CLOEXEC by definition
    static let ctlAdd: Int32 = 1
    static let ctlDel: Int32 = 2
    static let ctlMod: Int32 = 3

    static let readable: UInt32 = 0x001  // EPOLLIN
    static let writable: UInt32 = 0x004  // EPOLLOUT
    static let error: UInt32 = 0x008  // EPOLLERR
    static let hangUp: UInt32 = 0x010  // EPOLLHUP
    static let edgeTriggered: UInt32 = 1 << 31  // EPOLLET

    #if arch(x86_64)
        static let eventSize = 12  // __attribute__((packed)): u32 events, u64 data at offset 4
        static let dataOffset = 4
    #else
        static let eventSize = 16  // natural alignment: u32 events, 4 bytes padding, u64 data
        static let dataOffset = 8
    #endif

    static func create() -> Int32 {
        epollCreate1(cloexec)
    }

    /// epoll_ctl with a stack-built event; the buffer lives for the duration of the call only.
    static func control(_ epollFD: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { buffer in
            // 16 bytes covers both layouts; loads/stores stay inside it.
            buffer.storeBytes(of: 0, toByteOffset: 8, as: UInt64.self)
            buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            buffer.storeBytes(of: data, toByteOffset: dataOffset, as: UInt64.self)
            return epollCtl(epollFD, op, fd, buffer.baseAddress)
        }
    }

    /// `buffer` must hold `maxEvents * eventSize` bytes.
    static func wait(_ epollFD: Int32, _ buffer: UnsafeMutableRawPointer, _ maxEvents: Int32, _ timeoutMS: Int32)
        -> Int32
    {
        epollWait(epollFD, buffer, maxEvents, timeoutMS)
    }

    @inline(__always)
    static func events(in buffer: UnsafeMutableRawPointer, at index: Int) -> UInt32 {
        // index < the count epoll_wait returned, so the bytes are inside the buffer and written.
        buffer.loadUnaligned(fromByteOffset: index * eventSize, as: UInt32.self)
    }

    @inline(__always)
    static func data(in buffer: UnsafeMutableRawPointer, at index: Int) -> UInt64 {
        // Same bounds as `events(in:at:)`; unaligned because the x86_64 layout is packed.
        buffer.loadUnaligned(fromByteOffset: index * eventSize + dataOffset, as: UInt64.self)
    }
}

enum EventFD {
    /// eventfd(initval, EFD_CLOEXEC | EFD_NONBLOCK); those flags equal O_CLOEXEC / O_NONBLOCK.
    static func create() -> Int32 {
        eventfdCreate(0, Int32(O_CLOEXEC) | Int32(O_NONBLOCK))
    }
}

private typealias EpollCreate1 = @convention(c) (Int32) -> Int32
private typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
private typealias EventFDCreate = @convention(c) (UInt32, Int32) -> Int32

// C function pointers resolved once from libc; immutable after lazy init, so sharing is safe.
private nonisolated(unsafe) let epollCreate1: EpollCreate1 = libcFunction("epoll_create1")
private nonisolated(unsafe) let epollCtl: EpollCtl = libcFunction("epoll_ctl")
private nonisolated(unsafe) let epollWait: EpollWait = libcFunction("epoll_wait")
private nonisolated(unsafe) let eventfdCreate: EventFDCreate = libcFunction("eventfd")
