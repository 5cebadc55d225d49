import Testing

@testable import MySQLWireIO

/// Connections with the same TLS configuration share one OpenSSL context for a while.
@Suite struct TLSContextCacheTests {
    @Test func theSameConfigurationSharesAContextUntilItAges() throws {
        let cache = TLSContextCache()
        let plain = TLSClientConfiguration(verification: .none)
        let checked = TLSClientConfiguration(verification: .identity(expectedName: "db.example.com"))
        let first = try cache.context(for: plain)
        #expect(try cache.context(for: plain) === first)
        #expect(try cache.context(for: checked) !== first)

        let fresh = TLSContextCache(maximumAge: .zero)
        let once = try fresh.context(for: plain)
        #expect(try fresh.context(for: plain) !== once)
    }

    @Test func theOldestEntryMakesRoom() throws {
        let cache = TLSContextCache(capacity: 2)
        let a = TLSClientConfiguration(verification: .identity(expectedName: "a"))
        let b = TLSClientConfiguration(verification: .identity(expectedName: "b"))
        let c = TLSClientConfiguration(verification: .identity(expectedName: "c"))
        let first = try cache.context(for: a)
        _ = try cache.context(for: b)
        _ = try cache.context(for: c)  // evicts a
        #expect(try cache.context(for: a) !== first)
    }

    /// A file that cannot be loaded is an error every time, never a cached context.
    @Test func aFailureIsNotCached() {
        let cache = TLSContextCache()
        let missing = TLSClientConfiguration(verification: .certificateAuthority, caFile: "/nonexistent/ca.pem")
        #expect(throws: IOError.self) { _ = try cache.context(for: missing) }
        #expect(throws: IOError.self) { _ = try cache.context(for: missing) }
    }
}
