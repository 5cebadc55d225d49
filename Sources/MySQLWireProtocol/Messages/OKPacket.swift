/// Protocol::OK_Packet (header 0x00, or 0xFE as a result-set terminator with DEPRECATE_EOF).
public struct OKPacket: Sendable, Equatable {
    public var affectedRows: UInt64
    public var lastInsertID: UInt64
    public var status: MySQLServerStatus
    public var warnings: UInt16
    public var info: String
    /// Raw session-state-change block (present when `status` has SESSION_STATE_CHANGED).
    public var sessionStateChanges: [UInt8]

    public init(
        affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: MySQLServerStatus = [], warnings: UInt16 = 0,
        info: String = "", sessionStateChanges: [UInt8] = []
    ) {
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.status = status
        self.warnings = warnings
        self.info = info
        self.sessionStateChanges = sessionStateChanges
    }

    public static func parse(_ payload: ArraySlice<UInt8>, capabilities: MySQLCapabilities) throws(MySQLError)
        -> OKPacket
    {
        var r = ByteReader(payload, context: "OK packet")
        let header = try r.readUInt8()
        guard header == 0x00 || header == 0xFE else {
            throw .violation("OK packet has header 0x\(String(header, radix: 16))")
        }
        var ok = OKPacket()
        ok.affectedRows = try r.readLengthEncodedInteger()
        ok.lastInsertID = try r.readLengthEncodedInteger()
        if capabilities.contains(.protocol41) {
            ok.status = MySQLServerStatus(rawValue: try r.readUInt16())
            ok.warnings = try r.readUInt16()
        } else if capabilities.contains(.transactions) {
            ok.status = MySQLServerStatus(rawValue: try r.readUInt16())
        }
        if capabilities.contains(.sessionTrack) {
            // The info string is length-encoded here; servers omit it entirely when empty.
            if !r.isAtEnd {
                ok.info = try r.readLengthEncodedString()
            }
            if ok.status.contains(.sessionStateChanged), !r.isAtEnd {
                ok.sessionStateChanges = Array(try r.readLengthEncodedBytes())
            }
        } else {
            ok.info = String(decoding: r.readRest(), as: UTF8.self)
        }
        return ok
    }

    /// The current schema if the session-state block reports a change (SESSION_TRACK_SCHEMA).
    public var changedSchema: String? {
        var r = ByteReader(sessionStateChanges[...], context: "session state")
        while !r.isAtEnd {
            guard let type = try? r.readUInt8(), let data = try? r.readLengthEncodedBytes() else { return nil }
            if type == 1 {
                var inner = ByteReader(data, context: "schema change")
                return try? inner.readLengthEncodedString()
            }
        }
        return nil
    }
}
