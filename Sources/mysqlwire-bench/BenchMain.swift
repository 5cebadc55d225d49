import Foundation
import MySQLWire

/// `mysqlwire-bench [workload ...]`: the workloads of ../shared/bench/README.md, printing one
/// JSON line per workload in the peers' format. Server and sizes come from BENCH_* variables.
@main
struct BenchMain {
    static func main() async {
        let env = ProcessInfo.processInfo.environment
        let settings = BenchSettings(env: env)
        let all = ["point", "point_text", "scan_text", "scan_binary", "concurrent"]
        let requested = CommandLine.arguments.dropFirst().isEmpty ? all : Array(CommandLine.arguments.dropFirst())
        do {
            for workload in requested {
                switch workload {
                case "point": try await PointPrepared.run(settings)
                case "point_text": try await PointText.run(settings)
                case "scan_binary": try await ScanBinary.run(settings)
                case "scan_text": try await ScanText.run(settings)
                case "scan_offline": try ScanOffline.run()
                case "point_offline": try PointOffline.run()
                case "concurrent": try await Concurrent.run(settings)
                default:
                    FileHandle.standardError.write(Data("mysqlwire-bench: unknown workload \(workload)\n".utf8))
                    exit(2)
                }
            }
        } catch {
            FileHandle.standardError.write(Data("mysqlwire-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

struct BenchSettings {
    var host: String
    var port: Int
    var user: String
    var password: String
    var database: String
    var serverPID: Int
    var pointCount: Int
    var concurrentQueries: Int
    var concurrentTasks: Int
    var concurrentConnections: Int

    init(env: [String: String]) {
        host = env["BENCH_DB_HOST"] ?? "127.0.0.1"
        port = Int(env["BENCH_DB_PORT"] ?? "") ?? 33062
        user = env["BENCH_DB_USER"] ?? "bench"
        password = env["BENCH_DB_PASSWORD"] ?? "bench"
        database = env["BENCH_DB_NAME"] ?? "sales"
        serverPID = Int(env["BENCH_SERVER_PID"] ?? "") ?? 0
        pointCount = Int(env["BENCH_POINT_N"] ?? "") ?? 20_000
        concurrentQueries = Int(env["BENCH_CONC_N"] ?? "") ?? 10_000
        concurrentTasks = max(1, Int(env["BENCH_CONC_TASKS"] ?? "") ?? 100)
        concurrentConnections = max(1, Int(env["BENCH_CONC_CONNS"] ?? "") ?? 10)
    }

    var configuration: MySQLConfiguration {
        MySQLConfiguration(host: host, port: port, username: user, password: password, database: database)
    }
}
