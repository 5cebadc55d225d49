import Foundation

/// A replay fixture (`Fixtures/*.fixture`, format in `Docs/Fixtures.md`): a header of
/// `# key: value` lines, then one line per physical packet:
///
///     S <seq> <payload>  # comment      server -> client, framed by the fake server
///     C <seq> <payload>  # comment      client -> server, compared byte for byte
///     R <bytes>          # comment      raw server bytes, written as they are (broken framing)
///
/// `<payload>` is whitespace-separated tokens: lowercase hex (`0a352e35`), a run `xx*COUNT`
/// (COUNT bytes of 0xxx), or `-` (nothing; an empty payload).
struct FixtureFile: Sendable {
    enum Direction: Sendable, Equatable {
        /// `S`: the fake server writes a header (length, seq) and the payload.
        case server
        /// `C`: the fake server reads one packet and compares it with this one.
        case client
        /// `R`: the fake server writes these bytes as they are, without a header.
        case rawServer
    }

    struct Packet: Sendable {
        var direction: Direction
        var sequenceID: UInt8
        var payload: [UInt8]
        var comment: String
        /// 1-based line number in the file.
        var line: Int
    }

    enum End: Sendable, Equatable {
        /// The server closes the socket after the last line.
        case close
        /// The server keeps the socket open; the client is expected to close it.
        case hold
    }

    struct Credentials: Sendable, Equatable {
        var user: String
        var password: String
        var database: String?
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    let name: String
    /// Every `# key: value` header line before the first packet, in order.
    var headers: [(key: String, value: String)] = []
    var packets: [Packet] = []
    var end = End.close
    var credentials = Credentials(user: "", password: "", database: nil)
    /// `# client: key=value …`: configuration the client used beyond the defaults
    /// (`multiStatements=true`).
    var clientOptions: [String: String] = [:]

    func header(_ key: String) -> String? {
        headers.first { $0.key == key }?.value
    }

    /// The largest payload one physical packet can carry.
    static let maxPhysicalPayload = 0xFF_FFFF

    // MARK: Loading

    /// The repository's `Fixtures/` directory, found from this source file's path.
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // MySQLWireTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("Fixtures", isDirectory: true)
    }

    /// Loads `Fixtures/<name>.fixture`.
    static func load(_ name: String) throws -> FixtureFile {
        let url = directory.appendingPathComponent("\(name).fixture")
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ParseError(description: "cannot read \(url.path): \(error)")
        }
        return try FixtureFile(parsing: text, name: name)
    }

    /// Names (without `.fixture`) of every fixture in the directory, sorted.
    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".fixture") }
            .map { String($0.dropLast(".fixture".count)) }
            .sorted()
    }

    // MARK: Parsing

    init(parsing text: String, name: String) throws {
        self.name = name
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                // Header lines come before the first packet; later `#` lines are comments.
                if packets.isEmpty, let colon = line.firstIndex(of: ":") {
                    let key = line[line.index(after: line.startIndex)..<colon].trimmingCharacters(in: .whitespaces)
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    if !key.isEmpty && !key.contains(" ") {
                        headers.append((key, value))
                    }
                }
                continue
            }
            packets.append(try Self.parsePacket(line, lineNumber: lineNumber, file: name))
        }
        try applyHeaders()
    }

    private mutating func applyHeaders() throws {
        for required in ["source", "server", "scenario", "credentials"] where header(required) == nil {
            throw ParseError(description: "\(name).fixture: missing header '# \(required): …'")
        }
        switch header("end") {
        case nil, "close"?: end = .close
        case "hold"?: end = .hold
        case let other?: throw ParseError(description: "\(name).fixture: '# end: \(other)' is neither close nor hold")
        }
        credentials = try Self.parseCredentials(header("credentials") ?? "", file: name)
        if let client = header("client") {
            clientOptions = try Self.parseKeyValues(client, file: name)
        }
    }

    /// `user=U password=P database=D` (values without spaces; an empty or missing database
    /// means none; an empty password is `password=`).
    static func parseCredentials(_ text: String, file: String) throws -> Credentials {
        let fields = try parseKeyValues(text, file: file)
        guard let user = fields["user"], !user.isEmpty else {
            throw ParseError(description: "\(file): credentials '\(text)' have no user=")
        }
        let database = fields["database"].flatMap { $0.isEmpty ? nil : $0 }
        return Credentials(user: user, password: fields["password"] ?? "", database: database)
    }

    static func parseKeyValues(_ text: String, file: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for field in text.split(separator: " ", omittingEmptySubsequences: true) {
            guard let equals = field.firstIndex(of: "=") else {
                throw ParseError(description: "\(file): '\(field)' is not key=value")
            }
            result[String(field[..<equals])] = String(field[field.index(after: equals)...])
        }
        return result
    }

    static func parsePacket(_ line: String, lineNumber: Int, file: String) throws -> Packet {
        func fail(_ why: String) -> ParseError {
            ParseError(description: "\(file).fixture:\(lineNumber): \(why)")
        }
        var body = Substring(line)
        var comment = ""
        if let hash = line.firstIndex(of: "#") {
            body = line[..<hash]
            comment = line[line.index(after: hash)...].trimmingCharacters(in: .whitespaces)
        }
        var tokens = body.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        guard let tag = tokens.popFirst() else { throw fail("empty packet line") }
        let direction: Direction
        switch tag {
        case "S": direction = .server
        case "C": direction = .client
        case "R": direction = .rawServer
        default: throw fail("a packet line starts with S, C or R, not '\(tag)'")
        }
        var sequenceID: UInt8 = 0
        if direction != .rawServer {
            guard let token = tokens.popFirst(), let seq = UInt8(token) else {
                throw fail("expected a sequence id (0-255) after \(tag)")
            }
            sequenceID = seq
        }
        var payload: [UInt8] = []
        for token in tokens {
            try appendToken(token, to: &payload, fail: fail)
        }
        if direction != .rawServer && payload.count > maxPhysicalPayload {
            throw fail("a physical packet carries at most \(maxPhysicalPayload) bytes, this one \(payload.count)")
        }
        return Packet(
            direction: direction, sequenceID: sequenceID, payload: payload, comment: comment, line: lineNumber)
    }

    private static func appendToken(_ token: Substring, to payload: inout [UInt8], fail: (String) -> ParseError) throws
    {
        if token == "-" { return }
        if let star = token.firstIndex(of: "*") {
            let byteText = token[..<star]
            let countText = token[token.index(after: star)...]
            guard byteText.count == 2, let byte = UInt8(byteText, radix: 16), let count = Int(countText), count > 0
            else {
                throw fail("'\(token)' is not a run (two hex digits, '*', a positive count)")
            }
            // An array, not repeatElement: a memset, fast even in a debug build (runs are 16 MiB).
            payload.append(contentsOf: [UInt8](repeating: byte, count: count))
            return
        }
        guard token.utf8.count % 2 == 0 else { throw fail("hex '\(token.prefix(16))…' has an odd number of digits") }
        payload.reserveCapacity(payload.count + token.utf8.count / 2)
        var high: UInt8? = nil
        for char in token.utf8 {
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
            default: throw fail("'\(token.prefix(16))…' is not hex")
            }
            if let h = high {
                payload.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
    }
}

extension FixtureFile.Packet {
    /// `S 3`, `C 0`, `R`: how the line starts, for messages.
    var label: String {
        switch direction {
        case .server: return "S \(sequenceID)"
        case .client: return "C \(sequenceID)"
        case .rawServer: return "R"
        }
    }
}

/// Hex helpers for mismatch reports.
enum FixtureHex {
    static func string(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            let digits = Array("0123456789abcdef".utf8)
            out.unicodeScalars.append(UnicodeScalar(digits[Int(byte >> 4)]))
            out.unicodeScalars.append(UnicodeScalar(digits[Int(byte & 0xF)]))
        }
        return out
    }

    /// Describes the first difference between `expected` and `actual`, with up to 16 bytes
    /// of context on each side; nil when they are equal.
    static func firstDifference(expected: [UInt8], actual: [UInt8]) -> String? {
        if expected == actual { return nil }
        let common = min(expected.count, actual.count)
        var offset = 0
        while offset < common && expected[offset] == actual[offset] { offset += 1 }
        let from = max(0, offset - 16)
        let expectedWindow = expected[from..<min(expected.count, offset + 16)]
        let actualWindow = actual[from..<min(actual.count, offset + 16)]
        var text = "payload differs at offset \(offset) (expected \(expected.count) bytes, got \(actual.count))\n"
        text += "  expected [\(from)...]: \(string(expectedWindow))\n"
        text += "  actual   [\(from)...]: \(string(actualWindow))"
        return text
    }
}
