import Testing

@testable import MySQLWireIO

/// Name lookups run on a bounded number of threads; the rest wait in line and still complete.
@Suite struct ResolverTests {
    @Test func manyLookupsAtOnceUseABoundedNumberOfThreads() async throws {
        let lookups = 40
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<lookups {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                        Resolver.resolveInBackground(host: "localhost", port: 3306) { result in
                            if case .success(let addresses) = result {
                                continuation.resume(returning: !addresses.isEmpty)
                            } else {
                                continuation.resume(returning: false)
                            }
                        }
                    }
                }
            }
            var all: [Bool] = []
            for await ok in group { all.append(ok) }
            return all
        }
        #expect(results.count == lookups && results.allSatisfy { $0 })
        let (peak, running, waiting) = Resolver.state.withLock { ($0.peakRunning, $0.running, $0.waiting.count) }
        #expect(peak >= 1 && peak <= Resolver.maximumThreads, "\(peak)")
        #expect(waiting == 0)
        #expect(running <= Resolver.maximumThreads)
    }
}
