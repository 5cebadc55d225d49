/// The largest payload of a single physical packet; a payload of this size or more is split.
public let maxPhysicalPayload = 0xFF_FFFF

/// One logical packet: the payload of one physical packet, or the join of a split sequence.
public struct Packet {
    /// Sequence id of the first physical packet.
    public var sequenceID: UInt8
    /// Sequence id of the last physical packet (equal to `sequenceID` unless split).
    public var lastSequenceID: UInt8
    public var payload: ArraySlice<UInt8>

    public init(sequenceID: UInt8, lastSequenceID: UInt8? = nil, payload: ArraySlice<UInt8>) {
        self.sequenceID = sequenceID
        self.lastSequenceID = lastSequenceID ?? sequenceID
        self.payload = payload
    }

    public var firstByte: UInt8? { payload.first }
}
