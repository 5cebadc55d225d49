/// Splits SQL text into statements at `;` as the mariadb client does: not inside quotes
/// ('…', "…", `…`, with backslash and doubled-quote escapes) or comments (`-- `, `#`, `/* */`).
/// Empty statements are dropped. Used by `--prepared`, where each statement is prepared alone.
enum StatementSplitter {
    static func split(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        var statements: [String] = []
        var start = 0
        var i = 0
        func flush(_ end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            let trimmed = text.trimmingSQLWhitespace()
            if !trimmed.isEmpty { statements.append(trimmed) }
        }
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                i += 1
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "\\") && c != UInt8(ascii: "`") {
                        i += 2
                        continue
                    }
                    if bytes[i] == c {
                        if i + 1 < bytes.count && bytes[i + 1] == c {
                            i += 2
                            continue
                        }
                        break
                    }
                    i += 1
                }
                i += 1
            case UInt8(ascii: "-")
            where i + 2 < bytes.count && bytes[i + 1] == UInt8(ascii: "-")
                && (bytes[i + 2] == UInt8(ascii: " ") || bytes[i + 2] == UInt8(ascii: "\t")
                    || bytes[i + 2] == UInt8(ascii: "\n"))
                ,
                UInt8(ascii: "#"):
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i + 1 < bytes.count && !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) {
                    i += 1
                }
                i += 2
            case UInt8(ascii: ";"):
                flush(i)
                i += 1
                start = i
            default:
                i += 1
            }
        }
        if start < bytes.count { flush(bytes.count) }
        return statements
    }
}

extension String {
    fileprivate func trimmingSQLWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
