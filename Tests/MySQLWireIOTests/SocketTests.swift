import Glibc
import MySQLWireIO
import Testing

extension IOTests {
    @Suite struct SocketTests {
        @Test func writesArePartialOnceThePeerStopsReadingThenReadsDrainEverything() throws {
            let (writer, reader) = try Socket.pair()
            let chunk = [UInt8](repeating: 0xAB, count: 64 * 1024)
            var total = 0
            var sawPartial = false
            var rounds = 0
            while rounds < 10_000 {
                rounds += 1
                let written = try chunk.withUnsafeBytes { try writer.write($0) }
                if written == 0 { break }  // EAGAIN: the kernel buffer is full
                if written < chunk.count { sawPartial = true }
                total += written
            }
            #expect(total > 0)
            #expect(try chunk.withUnsafeBytes { try writer.write($0) } == 0, "a full socket keeps reporting 0")
            print("socketpair took \(total) bytes before EAGAIN (partial write seen: \(sawPartial))")

            var received = 0
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let result = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                guard case .bytes(let count) = result else {
                    #expect(result == .wouldBlock)
                    break
                }
                #expect(buffer[0..<count].allSatisfy { $0 == 0xAB })
                received += count
            }
            #expect(received == total)
        }

        @Test func emptyReadWouldBlockAndPeerCloseIsEOF() throws {
            let (a, b) = try Socket.pair()
            var buffer = [UInt8](repeating: 0, count: 16)
            #expect(try buffer.withUnsafeMutableBytes { try a.read(into: $0) } == .wouldBlock)
            _ = try ([1, 2, 3] as [UInt8]).withUnsafeBytes { try b.write($0) }
            b.close()
            #expect(try buffer.withUnsafeMutableBytes { try a.read(into: $0) } == .bytes(3))
            #expect(try buffer.withUnsafeMutableBytes { try a.read(into: $0) } == .eof)
        }

        @Test func writeToAClosedPeerThrowsInsteadOfRaisingSIGPIPE() throws {
            let loop = try EventLoop(name: "sigpipe")  // starting a loop ignores SIGPIPE process-wide
            defer { loop.shutdown() }
            let (a, b) = try Socket.pair()
            b.close()
            let bytes = [UInt8](repeating: 1, count: 16)
            let error = ioError("write to a closed peer") {
                for _ in 0..<2 { _ = try bytes.withUnsafeBytes { try a.write($0) } }
            }
            let kind = error?.kind
            #expect(kind == .errno(EPIPE) || kind == .errno(ECONNRESET))
            #expect(error?.message.contains("write to") == true)
        }

        @Test func closeIsIdempotentAndLaterIOFailsAsClosed() throws {
            let (a, _) = try Socket.pair()
            #expect(a.fd >= 0)
            a.close()
            a.close()
            #expect(a.isClosed)
            #expect(a.fd == -1)
            var buffer = [UInt8](repeating: 0, count: 4)
            let error = ioError("read on a closed socket") {
                _ = try buffer.withUnsafeMutableBytes { try a.read(into: $0) }
            }
            #expect(error?.kind == .closed)
        }

        @Test func gatheringWriteSendsAllVectors() throws {
            let (a, b) = try Socket.pair()
            let first: [UInt8] = [1, 2, 3]
            let second: [UInt8] = [4, 5]
            let written = try first.withUnsafeBytes { p1 in
                try second.withUnsafeBytes { p2 in
                    var vectors = [
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: p1.baseAddress), iov_len: p1.count),
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: p2.baseAddress), iov_len: p2.count),
                    ]
                    return try vectors.withUnsafeMutableBufferPointer { try a.write(vectors: $0) }
                }
            }
            #expect(written == 5)
            var buffer = [UInt8](repeating: 0, count: 8)
            #expect(try buffer.withUnsafeMutableBytes { try b.read(into: $0) } == .bytes(5))
            #expect(Array(buffer[0..<5]) == [1, 2, 3, 4, 5])
        }

        /// Records readiness callbacks; touched only on the loop thread.
        // @unchecked Sendable: all fields are used on the loop thread only.
        final class Recorder: IOEventHandler, @unchecked Sendable {
            let socket: Socket
            var events: [String] = []
            var received: [UInt8] = []
            init(socket: Socket) { self.socket = socket }

            func ioReadable() {
                var buffer = [UInt8](repeating: 0, count: 64)
                do {
                    switch try buffer.withUnsafeMutableBytes({ try socket.read(into: $0) }) {
                    case .bytes(let count):
                        received += buffer[0..<count]
                        events.append("read \(count)")
                    case .eof: events.append("eof")
                    case .wouldBlock: events.append("wouldBlock")
                    }
                } catch {
                    events.append("error")
                }
            }

            func ioWritable() {
                events.append("writable")
            }
        }

        @Test func readinessCallbacksFollowInterestAndReportEOF() async throws {
            try await withLoop { loop in
                let (local, peer) = try Socket.pair()
                let recorder = Recorder(socket: local)

                @Sendable func waitUntil(_ what: String, _ condition: @escaping @Sendable (Recorder) -> Bool)
                    async throws
                {
                    try await eventually(what) { try await loop.submit { condition(recorder) } }
                }

                try await loop.submit { try loop.register(local.fd, interest: .readable, handler: recorder) }
                _ = try ([7, 8, 9] as [UInt8]).withUnsafeBytes { try peer.write($0) }
                try await waitUntil("data delivered") { $0.received == [7, 8, 9] }

                try await loop.submit {
                    #expect(!recorder.events.contains("writable"))
                    try loop.setInterest(local.fd, .writable)
                    try loop.setInterest(local.fd, .writable)  // unchanged: no syscall, no error
                }
                try await waitUntil("writable reported") { $0.events.contains("writable") }

                try await loop.submit { try loop.setInterest(local.fd, [.readable]) }
                peer.close()
                try await waitUntil("eof seen") { $0.events.contains("eof") }

                let registered = try await loop.submit { () -> Bool in
                    loop.deregister(local.fd)
                    loop.deregister(local.fd)  // idempotent
                    return loop.isRegistered(local.fd)
                }
                #expect(!registered)
                local.close()
            }
        }
    }
}
