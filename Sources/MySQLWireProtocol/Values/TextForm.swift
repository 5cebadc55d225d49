/// A value as the text protocol carries it, whatever format it arrived in: what the server
/// would have sent for the same value in a COM_QUERY row. Binary integers, floating-point
/// numbers and temporal values are formatted as the server formats them (ZEROFILL padding
/// included); types that travel as their content in both protocols (strings, blobs, DECIMAL,
/// BIT, ENUM, SET, JSON, GEOMETRY) are their bytes unchanged.
public enum MySQLTextForm {
    public static func bytes(
        _ value: ArraySlice<UInt8>, format: MySQLValueFormat, column: MySQLColumn.Shape
    ) throws(MySQLError) -> ArraySlice<UInt8> {
        guard format == .binary, var text = try String.binaryText(value, column: column) else { return value }
        // Display widths are at most 255; a larger length from a hostile server is ignored
        // rather than padded to (up to 4 GiB of zeros).
        // ZEROFILL pads integers, FLOAT and DOUBLE (`0001.50`, `000000001e20`) to the width.
        let padded = column.type.isInteger || column.type == .float || column.type == .double
        if column.flags.contains(.zeroFill), padded, column.columnLength <= 255,
            text.utf8.count < Int(column.columnLength)
        {
            text = String(repeating: "0", count: Int(column.columnLength) - text.utf8.count) + text
        }
        return Array(text.utf8)[...]
    }
}
