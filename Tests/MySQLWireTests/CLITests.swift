import Foundation
import Testing

/// The `mysqlwire` executable, run as a user would: streaming memory, errors, exit codes.
@Suite(.enabled(if: LiveServer.isAvailable, LiveServer.skipReason))
struct CLITests {
    /// The debug build of the CLI next to the test bundle (built by `swift build` / `swift test`).
    static var binary: URL? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            root.appendingPathComponent(".build/debug/mysqlwire"),
            root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/mysqlwire"),
            root.appendingPathComponent(".build/aarch64-unknown-linux-gnu/debug/mysqlwire"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Outcome {
        var status: Int32
        var stderr: String
        var peakResidentKiB: Int
        var stdoutBytes: Int
        /// The output when it is small (under 1 MB).
        var stdout: String
    }

    /// Runs the CLI against the live server; stdout is counted, not kept.
    static func run(_ arguments: [String], subcommand: String? = nil) throws -> Outcome {
        let binary = try #require(Self.binary, "build the CLI first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments =
            (subcommand.map { [$0] } ?? [])
            + [
                "--host", LiveServer.host, "--port", String(LiveServer.port), "--user", LiveServer.user,
                "--database", LiveServer.database,
            ] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MYSQL_PWD"] = LiveServer.password
        process.environment = environment
        let outPath = NSTemporaryDirectory() + "mysqlwire-cli-\(UUID().uuidString).out"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = try #require(FileHandle(forWritingAtPath: outPath))
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var peak = 0
        while process.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            {
                peak = max(peak, kib)
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        try out.close()
        let stdoutBytes = (try? FileManager.default.attributesOfItem(atPath: outPath)[.size] as? Int) ?? 0
        let stdout = stdoutBytes < 1_000_000 ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Outcome(
            status: process.terminationStatus, stderr: errText, peakResidentKiB: peak, stdoutBytes: stdoutBytes,
            stdout: stdout)
    }

    @Test func streamingAHugeResultKeepsMemoryBounded() throws {
        // Ten million rows, ~170 MB of TSV: far more than the 64 MiB the process may use.
        let outcome = try Self.run([
            "--format", "tsv", "--execute", "SELECT seq, REPEAT('x', 8) FROM seq_1_to_10000000",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutBytes > 160_000_000)
        #expect(
            outcome.peakResidentKiB > 0 && outcome.peakResidentKiB < 64 * 1024,
            "peak RSS \(outcome.peakResidentKiB) KiB")
    }

    @Test func serverErrorIsPrintedLikeTheMariaDBClient() throws {
        let outcome = try Self.run(["--format", "tsv", "--execute", "SELEC 1"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("ERROR 1064 (42000): "))
        #expect(!outcome.stderr.contains(LiveServer.password))
    }

    @Test func everyResultSetIsPrinted() throws {
        let outcome = try Self.run(["--format", "tsv", "--execute", "SELECT 1 AS a; DO 1; SELECT 'x' AS b"])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutBytes == "a\n1\nb\nx\n".utf8.count)
    }

    @Test func demoRunsThePoolScenario() throws {
        let outcome = try Self.run(["--queries", "400", "--tasks", "40", "--connections", "4"], subcommand: "demo")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Inserted 8 customers into sales.customers"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("400 point queries one after another on one connection"))
        #expect(outcome.stdout.contains("400 point queries from 40 concurrent tasks over a pool of 4 connections"))
        // Both runs read the same rows: ids 1...8 repeated.
        #expect(outcome.stdout.components(separatedBy: "checksum 1800").count == 3, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("(pool: open 4 (idle 4, in use 0, connecting 0), waiters 0)"))
    }

    @Test func queryTimeoutStopsALongStatement() throws {
        let outcome = try Self.run([
            "--query-timeout", "0.5", "--format", "tsv", "--execute",
            "SELECT COUNT(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq = 7",
        ])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("queryTimeout"), "\(outcome.stderr)")
    }
}
