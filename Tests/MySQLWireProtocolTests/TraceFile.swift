import Foundation
import Testing

/// One recorded conversation of `shared/traces/mysql8/*.trace` (format: `shared/traces/README.md`).
///
/// ```
/// # source: ...
/// # facts: user=root; password=zeek; free text
/// S 0 0a382e30...   # comment
/// C 1 8da6ff19...   # comment
/// ```
struct TraceFile {
    enum Direction: Equatable {
        case server
        case client
    }

    struct Line {
        var direction: Direction
        var sequenceID: UInt8
        var payload: [UInt8]
        var comment: String
        /// 1-based line number in the file, for messages and expectation tables.
        var lineNumber: Int
    }

    var name: String
    /// `key=value` pairs of the `# facts:` lines (free-text parts are dropped).
    var facts: [String: String]
    var lines: [Line]

    var serverPackets: [Line] { lines.filter { $0.direction == .server } }
    var clientPackets: [Line] { lines.filter { $0.direction == .client } }

    /// The password from the facts; nil when `unknown` or absent.
    var password: String? {
        guard let value = facts["password"], value != "unknown" else { return nil }
        return value
    }

    /// Parses the text of a trace. Malformed packet lines are errors (nothing is skipped silently).
    static func parse(_ text: String, name: String) throws -> TraceFile {
        var facts: [String: String] = [:]
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if body.hasPrefix("facts:") {
                    for (key, value) in parseFacts(String(body.dropFirst("facts:".count))) {
                        facts[key] = value
                    }
                }
                continue
            }
            let (packetPart, comment) = splitComment(line)
            let fields = packetPart.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3 else {
                throw TraceFormatError("\(name):\(lineNumber): expected `S|C seq hex`, got \(fields.count) field(s)")
            }
            let direction: Direction
            switch fields[0] {
            case "S": direction = .server
            case "C": direction = .client
            default: throw TraceFormatError("\(name):\(lineNumber): direction must be S or C, got \(fields[0])")
            }
            guard let sequenceID = UInt8(fields[1]) else {
                throw TraceFormatError("\(name):\(lineNumber): bad sequence id \(fields[1])")
            }
            guard let payload = traceBytes(fields[2]) else {
                throw TraceFormatError("\(name):\(lineNumber): payload is not lowercase hex")
            }
            lines.append(
                Line(
                    direction: direction, sequenceID: sequenceID, payload: payload, comment: comment,
                    lineNumber: lineNumber))
        }
        return TraceFile(name: name, facts: facts, lines: lines)
    }

    /// `key=value` parts separated by `;`. A value ends at the first space (what follows is a
    /// remark: `password=root (verified ...)`); a value of only a remark, `password= (empty)`,
    /// is empty. Parts whose key is not a plain word (`frame length field 0x4a = 74`) are text.
    static func parseFacts(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        for part in text.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                continue
            }
            let rest = trimmed[trimmed.index(after: equals)...]
            var value = String(rest.prefix { $0 != " " })
            if value.hasPrefix("(") { value = "" }
            result.append((key, value))
        }
        return result
    }

    static func splitComment(_ line: String) -> (packet: String, comment: String) {
        guard let hash = line.firstIndex(of: "#") else { return (line, "") }
        let comment = line[line.index(after: hash)...].trimmingCharacters(in: .whitespaces)
        return (String(line[..<hash]), comment)
    }
}

/// One line of a `.vectors` file: `V <plugin> <password> <nonce hex> <response hex>`.
struct ScrambleVector {
    var plugin: String
    var password: String
    var nonce: [UInt8]
    var response: [UInt8]
    var lineNumber: Int

    static func parseFile(_ text: String, name: String) throws -> [ScrambleVector] {
        var vectors: [ScrambleVector] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = TraceFile.splitComment(line).packet.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 5, fields[0] == "V", let nonce = traceBytes(fields[3]),
                let response = traceBytes(fields[4])
            else {
                throw TraceFormatError("\(name):\(index + 1): expected `V plugin password nonce response`")
            }
            vectors.append(
                ScrambleVector(
                    plugin: String(fields[1]), password: String(fields[2]), nonce: nonce, response: response,
                    lineNumber: index + 1))
        }
        return vectors
    }
}

struct TraceFormatError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The trace folder: `shared/traces/mysql8`, a sibling of the repository root (same place in
/// CI). Found from this file's path, with symlinks resolved so that a package whose test folder
/// links to these files finds it too. `MYSQLWIRE_TRACE_DIR` overrides it.
enum TraceCorpus {
    static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["MYSQLWIRE_TRACE_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // MySQLWireProtocolTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .deletingLastPathComponent()  // its parent, which holds `shared`
            .appendingPathComponent("shared/traces/mysql8", isDirectory: true)
    }()

    /// Whether the folder exists; records an issue (a failure) when it does not, so a missing
    /// corpus can never make these tests pass vacuously.
    static func available(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return true
        }
        Issue.record(
            "the MySQL 8 trace folder is missing: expected \(directory.path) (shared/traces/mysql8 next to the repository root, or set MYSQLWIRE_TRACE_DIR)",
            sourceLocation: sourceLocation)
        return false
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func trace(_ name: String) throws -> TraceFile {
        try TraceFile.parse(text(name), name: name)
    }

    /// The names of all `.trace` files in the folder, sorted.
    static func traceNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".trace") }
            .sorted()
    }

    static func vectorFileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".vectors") }
            .sorted()
    }
}

/// Lowercase (or uppercase) hex to bytes; nil on an odd length or a non-hex character.
func traceBytes(_ text: some StringProtocol) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count / 2)
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    var i = 0
    while i < utf8.count {
        guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
        out.append(high << 4 | low)
        i += 2
    }
    return out
}

func traceHex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
