/// The byte containers the value parsers accept: an array slice (the public
/// `MySQLDecodable.decode(mysqlValue:format:column:)` entry point) or a borrowed raw buffer
/// (`MySQLRow`'s entry point, which passes a value without reference counting). Both have
/// `Int` indices and contiguous storage; parsers are generic over them and specialized for each.
protocol ValueBytes: RandomAccessCollection where Element == UInt8, Index == Int, SubSequence: ValueBytes {
    /// Calls `body` with the bytes' contiguous storage.
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R
}

extension ArraySlice: ValueBytes where Element == UInt8 {
    @inline(__always)
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { withUnsafeBytes(body) }
}

extension UnsafeRawBufferPointer: ValueBytes {
    @inline(__always)
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { body(self) }
}

extension Slice: ValueBytes where Base == UnsafeRawBufferPointer {
    @inline(__always)
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { body(UnsafeRawBufferPointer(rebasing: self)) }
}

/// Runs a decoder written for borrowed bytes on an optional array slice: the public entry
/// point of the built-in conformances.
@inline(__always)
func withBorrowedBytes<T>(
    _ bytes: ArraySlice<UInt8>?, _ body: (UnsafeRawBufferPointer?) throws(MySQLError) -> T
) throws(MySQLError) -> T {
    guard let bytes else { return try body(nil) }
    let result: Result<T, MySQLError> = bytes.withUnsafeBytes { raw in
        do throws(MySQLError) {
            return .success(try body(raw))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}
