#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The raw column-definition packets of the last result set and their parsed form.
///
/// An application runs the same few statements again and again, and each answer repeats the
/// same column definitions. When every definition packet of a new result set is byte-for-byte
/// the last one's, the parsed `MySQLColumns` is reused: no strings are decoded and nothing is
/// allocated (a point query saved five allocations this way). Parsing is a pure function of
/// the bytes, so the reuse cannot change a result.
struct ColumnDefinitionCache {
    /// Shapes larger than this are not kept (memory is held for the connection's lifetime).
    static let maxCachedBytes = 8 * 1024

    private(set) var packets: [[UInt8]] = []
    private(set) var columns: MySQLColumns?

    /// Whether `payload` equals packet `index` of the cached shape of `count` columns.
    func matches(_ payload: ArraySlice<UInt8>, at index: Int, count: Int) -> Bool {
        guard columns != nil, packets.count == count, index < count else { return false }
        let cached = packets[index]
        guard cached.count == payload.count else { return false }
        return cached.withUnsafeBytes { cachedBytes in
            payload.withUnsafeBytes { payloadBytes in
                // memcmp: safe because both buffers hold `cached.count` bytes (checked above).
                cached.isEmpty || memcmp(cachedBytes.baseAddress!, payloadBytes.baseAddress!, cached.count) == 0
            }
        }
    }

    /// The first `count` cached definitions, parsed (for a shape that diverged after them).
    func prefix(_ count: Int) -> ArraySlice<MySQLColumn> {
        columns?.definitions.prefix(count) ?? []
    }

    /// Remembers a new shape; `packets` nil (a shape over `maxCachedBytes`) forgets the old one.
    mutating func store(packets newPackets: [[UInt8]]?, columns newColumns: MySQLColumns) {
        packets = newPackets ?? []
        columns = newPackets == nil ? nil : newColumns
    }
}
