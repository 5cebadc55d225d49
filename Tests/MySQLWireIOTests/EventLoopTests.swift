import Dispatch
import Foundation
import Glibc
import Synchronization
import Testing

@testable import MySQLWireIO

extension IOTests {
    @Suite struct EventLoopTests {
        @Test func executeFromManyThreadsRunsEachTaskOnceInOrderPerThread() async throws {
            try await withLoop { loop in
                let threads = 4
                let perThread = 2_000
                let seen = LoopBox([[Int]](repeating: [], count: threads))
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    for sequence in 0..<perThread {
                        loop.execute {
                            #expect(loop.inEventLoop)
                            seen.value[thread].append(sequence)
                        }
                    }
                }
                // Submitted after every producer returned, so FIFO puts it after all of them.
                let result = try await loop.submit { seen.value }
                for thread in 0..<threads {
                    #expect(result[thread] == Array(0..<perThread), "thread \(thread) saw reordering or loss")
                }
            }
        }

        @Test func burstFromAnotherThreadWakesTheLoopFarFewerTimesThanTasks() async throws {
            try await withLoop { loop in
                try await loop.submit {}
                usleep(20_000)  // let the loop go back to sleep in epoll_wait
                let before = loop.wakeUpCount
                let ran = Atomic<Int>(0)
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    // A Dispatch thread, not the loop: a foreign submitter.
                    DispatchQueue.global().async {
                        for _ in 0..<1_000 {
                            loop.execute { ran.add(1, ordering: .relaxed) }
                        }
                        done.resume()
                    }
                }
                try await loop.submit {}
                let wakeUps = loop.wakeUpCount - before
                print("1000 foreign executes caused \(wakeUps) eventfd writes")
                #expect(ran.load(ordering: .relaxed) == 1_000)
                #expect(wakeUps < 200, "one wake-up per burst, not per task")

                // From the loop thread itself: no eventfd write at all.
                let (start, end) = try await loop.submit { () -> (Int, Int) in
                    let start = loop.wakeUpCount
                    for _ in 0..<1_000 { loop.execute {} }
                    return (start, loop.wakeUpCount)
                }
                #expect(end == start)
            }
        }

        @Test func pingPongFromAnotherThreadNeverLosesAWakeUp() async throws {
            try await withLoop { loop in
                // Each round trip lets the loop fall asleep again, exercising the sleep/wake race.
                let rounds = try await withTimeout(.seconds(10), "2000 round trips") {
                    var count = 0
                    for round in 0..<2_000 {
                        if round % 100 == 0 { usleep(100) }  // sometimes let it block in epoll_wait
                        count += try await loop.submit { 1 }
                    }
                    return count
                }
                #expect(rounds == 2_000)
            }
        }

        @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() async throws {
            try await withLoop { loop in
                let fired = try await withTimeout {
                    try await withCheckedThrowingContinuation {
                        (continuation: CheckedContinuation<[String], any Error>) in
                        loop.execute {
                            var order: [String] = []
                            let now = Deadline.now()
                            loop.scheduleTimer(at: now + .milliseconds(30)) { order.append("30") }
                            loop.scheduleTimer(at: now + .milliseconds(10)) { order.append("10a") }
                            let cancelled = loop.scheduleTimer(at: now + .milliseconds(15)) { order.append("15") }
                            loop.scheduleTimer(at: now + .milliseconds(20)) { order.append("20") }
                            loop.scheduleTimer(at: now + .milliseconds(10)) { order.append("10b") }
                            loop.scheduleTimer(at: now + .milliseconds(-5)) { order.append("past") }
                            let alsoCancelled = loop.scheduleTimer(at: now + .milliseconds(1)) { order.append("1") }
                            loop.cancelTimer(cancelled)
                            loop.cancelTimer(alsoCancelled)
                            loop.scheduleTimer(at: now + .milliseconds(45)) {
                                #expect(Deadline.now() >= now + .milliseconds(45))
                                continuation.resume(returning: order)
                            }
                        }
                    }
                }
                #expect(fired == ["past", "10a", "10b", "20", "30"])
            }
        }

        @Test func manyCancelledTimersDoNotAccumulateOrFire() async throws {
            try await withLoop { loop in
                let count = try await loop.submit { () -> Int in
                    var fired = 0
                    for _ in 0..<10_000 {
                        let id = loop.scheduleTimer(in: .seconds(60)) { fired += 1 }
                        loop.cancelTimer(id)
                    }
                    loop.cancelTimer(loop.scheduleTimer(in: .zero) { fired += 1 })
                    return fired
                }
                try await Task.sleep(for: .milliseconds(5))
                #expect(count == 0)
            }
        }

        actor LoopActor {
            let loop: EventLoop
            var counter = 0
            init(loop: EventLoop) { self.loop = loop }
            nonisolated var unownedExecutor: UnownedSerialExecutor { loop.asUnownedSerialExecutor() }

            func increment() -> (Int, Bool) {
                counter += 1
                return (counter, loop.inEventLoop)
            }
        }

        @Test func actorWithTheLoopAsExecutorRunsOnTheLoopThread() async throws {
            try await withLoop { loop in
                let actor = LoopActor(loop: loop)
                for expected in 1...100 {
                    let (value, onLoop) = await actor.increment()
                    #expect(value == expected)
                    #expect(onLoop)
                }
            }
        }

        @Test func taskExecutorPreferenceRunsTheTaskOnTheLoop() async throws {
            try await withLoop { loop in
                let onLoop = await withTaskExecutorPreference(loop.taskExecutor) { () async -> [Bool] in
                    var checks = [loop.inEventLoop]
                    await Task.yield()
                    checks.append(loop.inEventLoop)
                    checks.append(await nonisolatedProbe(loop))
                    return checks
                }
                #expect(onLoop == [true, true, true])
                let fromTask = await Task(executorPreference: loop.taskExecutor) { loop.inEventLoop }.value
                #expect(fromTask)
                #expect(!loop.inEventLoop)
            }
        }

        @Test func shutdownRunsRemainingTasksJoinsTheThreadAndClosesDescriptors() async throws {
            let descriptorsBefore = openDescriptorCount()
            let name = "shut-\(UInt16.random(in: 0...UInt16.max))"
            let loop = try EventLoop(name: name)
            try await loop.submit {}  // the thread names itself once it runs
            #expect(threadNames().contains(name))
            let ran = Atomic<Int>(0)
            loop.execute {
                usleep(30_000)
                ran.add(1, ordering: .relaxed)
            }
            for _ in 0..<10 { loop.execute { ran.add(1, ordering: .relaxed) } }
            loop.shutdown()
            #expect(ran.load(ordering: .relaxed) == 11)
            #expect(!threadNames().contains(name), "loop thread still alive after shutdown")
            // The loop's own epoll and eventfd are closed (other suites may open descriptors in
            // parallel, so the process-wide count is only checked for growth).
            #expect(openDescriptorCount() <= descriptorsBefore + 4)
            for fd in [loop.epollFD, loop.wakeFD] {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? ""
                #expect(
                    !target.contains("eventpoll") && !target.contains("eventfd") || target.isEmpty,
                    "descriptor \(fd) still open: \(target)")
            }
            #expect(!loop.tryExecute {})
            loop.shutdown()  // idempotent
        }

        @Test func groupHandsOutLoopsRoundRobin() async throws {
            let group = try EventLoopGroup(numberOfThreads: 3)
            defer { group.shutdown() }
            let picked = (0..<6).map { _ in group.next() }
            for index in 0..<3 {
                #expect(picked[index] === picked[index + 3])
                #expect(picked[index] !== picked[(index + 1) % 3])
            }
            let loop = group.loops[1]
            let chosen = try await loop.submit { group.any() === loop && EventLoop.current === loop }
            #expect(chosen)
            #expect(EventLoop.current == nil)
            #expect(EventLoopGroup.shared.loops.count >= 1)
        }

        @Test func deadlineArithmeticSaturates() {
            let now = Deadline.now()
            #expect(now + .seconds(1) > now)
            #expect(Deadline.distantFuture + .seconds(1) == .distantFuture)
            #expect(Deadline(uptimeNanoseconds: 5) + .seconds(-1) == Deadline(uptimeNanoseconds: 0))
            #expect(now + .seconds(Int64.max) == .distantFuture)
            #expect(Deadline(uptimeNanoseconds: 0).remaining == .zero)
            let remaining = (now + .seconds(10)).remaining
            #expect(remaining > .seconds(9) && remaining <= .seconds(10))
        }
    }
}

/// A nonisolated async function: with a task executor preference it runs on the loop too.
private func nonisolatedProbe(_ loop: EventLoop) async -> Bool {
    loop.inEventLoop
}

/// Names of this process's threads (from /proc/self/task/*/comm).
private func threadNames() -> [String] {
    guard let directory = opendir("/proc/self/task") else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let id = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard id != ".", id != "..", let file = fopen("/proc/self/task/\(id)/comm", "r") else { continue }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        if fgets(&buffer, 64, file) != nil {
            var name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            while name.last == "\n" { name.removeLast() }
            names.append(name)
        }
    }
    return names
}
