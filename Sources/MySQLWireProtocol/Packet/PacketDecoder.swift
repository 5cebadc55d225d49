/// Turns a stream of received bytes into logical packets.
///
/// Bytes are read straight into `storage`; a complete packet is handed out as a slice of it
/// (no copy). Split packets (0xFFFFFF-byte pieces) are joined into a separate buffer, bounded by
/// `maxPacketSize`. Slices handed out must be consumed before the next `withWritableSpace`, or
/// the storage is copied on write.
public struct PacketDecoder {
    public private(set) var storage: [UInt8]
    public private(set) var readerIndex = 0
    public private(set) var writerIndex = 0
    /// The largest logical packet accepted; a longer chain is a protocol violation.
    public var maxPacketSize: Int
    let initialCapacity: Int
    var assembly: [UInt8] = []
    var assemblyFirstSequenceID: UInt8 = 0
    var assembling = false

    public init(initialCapacity: Int = 64 * 1024, maxPacketSize: Int = 64 * 1024 * 1024) {
        self.initialCapacity = initialCapacity
        self.storage = [UInt8](repeating: 0, count: initialCapacity)
        self.maxPacketSize = maxPacketSize
    }

    public var bufferedByteCount: Int { writerIndex - readerIndex }
    public var isEmpty: Bool { readerIndex == writerIndex && !assembling }

    /// Appends bytes (tests and replay).
    public mutating func append(_ bytes: some Collection<UInt8>) {
        makeRoom(atLeast: bytes.count)
        storage.replaceSubrange(writerIndex..<(writerIndex + bytes.count), with: bytes)
        writerIndex += bytes.count
    }

    /// Lets `body` write received bytes into free space (e.g. `read(2)`), returning how many it
    /// wrote. Makes room first: compacts, and grows when the packet being received needs it.
    ///
    /// Not generic (a caller keeps its own error in a local): a generic version called across
    /// modules ran unspecialized, looking up type metadata at run time on every read.
    public mutating func withWritableSpace(
        minimum: Int = 16 * 1024, _ body: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        makeRoom(atLeast: max(minimum, pendingPacketNeed()))
        let start = writerIndex
        let written = storage.withUnsafeMutableBytes { (all) -> Int in
            // Safe: start ≤ count, the rebased slice lies inside the array's own storage.
            body(UnsafeMutableRawBufferPointer(rebasing: all[start...]))
        }
        precondition(written >= 0 && written <= storage.count - start)
        writerIndex += written
        return written
    }

    /// Bytes the packet at the reader index still needs before it is complete.
    func pendingPacketNeed() -> Int {
        let available = writerIndex - readerIndex
        guard available >= 4 else { return 4 - available }
        let length =
            Int(storage[readerIndex]) | Int(storage[readerIndex + 1]) << 8 | Int(storage[readerIndex + 2]) << 16
        // Never reserve more than an acceptable packet; `next()` rejects a longer one.
        return max(0, min(length, maxPacketSize) + 4 - available)
    }

    mutating func makeRoom(atLeast needed: Int) {
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
            if storage.count > 4 * initialCapacity && needed <= initialCapacity {
                storage = [UInt8](repeating: 0, count: initialCapacity)
            }
        }
        if storage.count - writerIndex >= needed { return }
        if readerIndex > 0 {
            let unread = writerIndex - readerIndex
            storage.withUnsafeMutableBytes { raw in
                // Safe: both ranges lie inside the buffer; memmove handles the overlap.
                guard let base = raw.baseAddress else { return }
                (base).copyMemory(from: base + readerIndex, byteCount: unread)
            }
            readerIndex = 0
            writerIndex = unread
        }
        if storage.count - writerIndex < needed {
            var newCount = storage.count
            while newCount - writerIndex < needed { newCount *= 2 }
            storage += [UInt8](repeating: 0, count: newCount - storage.count)
        }
    }

    /// The next complete logical packet, or nil when more bytes are needed.
    public mutating func next() throws(MySQLError) -> Packet? {
        while true {
            let available = writerIndex - readerIndex
            guard available >= 4 else { return nil }
            let length =
                Int(storage[readerIndex]) | Int(storage[readerIndex + 1]) << 8 | Int(storage[readerIndex + 2]) << 16
            let sequenceID = storage[readerIndex + 3]
            // Refuse an oversized packet as soon as its header says so, before buffering it.
            guard assembly.count + length <= maxPacketSize else { throw tooLarge(assembly.count + length) }
            guard available >= 4 + length else { return nil }
            let payloadStart = readerIndex + 4
            readerIndex = payloadStart + length
            if !assembling && length < maxPhysicalPayload {
                guard length <= maxPacketSize else { throw tooLarge(length) }
                return Packet(sequenceID: sequenceID, payload: storage[payloadStart..<readerIndex])
            }
            if !assembling {
                assembling = true
                assemblyFirstSequenceID = sequenceID
                assembly.removeAll(keepingCapacity: false)
            } else {
                let expected = assemblyFirstSequenceID &+ UInt8(truncatingIfNeeded: assembly.count / maxPhysicalPayload)
                guard sequenceID == expected else {
                    throw .violation("packet sequence id \(sequenceID) inside a split packet, expected \(expected)")
                }
            }
            guard assembly.count + length <= maxPacketSize else { throw tooLarge(assembly.count + length) }
            assembly.append(contentsOf: storage[payloadStart..<readerIndex])
            if length < maxPhysicalPayload {
                assembling = false
                let joined = assembly
                assembly = []
                return Packet(sequenceID: assemblyFirstSequenceID, lastSequenceID: sequenceID, payload: joined[...])
            }
        }
    }

    /// Offers each complete single (unsplit) packet at the reader index to `body` — payload and
    /// sequence id — and consumes it while `body` returns true. Stops at the first packet `body`
    /// declines, at an incomplete or split packet (left for `next()`), or when `body` asks to stop
    /// after consuming (`stopAfter`). The row fast path: no `Packet` value per row.
    @inline(__always)
    mutating func consumeSinglePackets(
        _ body: (_ payload: UnsafeRawBufferPointer, _ sequenceID: UInt8, _ stopAfter: inout Bool) -> Bool
    ) {
        if assembling { return }
        var reader = readerIndex
        let writer = writerIndex
        storage.withUnsafeBytes { raw in
            // Safe: every read below is at an index < writer ≤ raw.count (checked before it).
            while writer - reader >= 4 {
                let length = Int(raw[reader]) | Int(raw[reader + 1]) << 8 | Int(raw[reader + 2]) << 16
                guard length < maxPhysicalPayload, length <= maxPacketSize, writer - reader - 4 >= length else {
                    return
                }
                let payload = UnsafeRawBufferPointer(rebasing: raw[(reader + 4)..<(reader + 4 + length)])
                var stop = false
                guard body(payload, raw[reader + 3], &stop) else { return }
                reader += 4 + length
                if stop { return }
            }
        }
        readerIndex = reader
    }

    func tooLarge(_ size: Int) -> MySQLError {
        .violation(
            "a packet of at least \(size) bytes exceeds maxPacketSize (\(maxPacketSize)); raise MySQLConfiguration.maxPacketSize if this is expected"
        )
    }
}
