import Foundation

/// A point in time for the report: wall clock, this process's CPU, the server's CPU.
struct Mark {
    var wall: Double
    var user: Double
    var sys: Double
    var server: Double

    static func now(serverPID: Int) -> Mark {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Mark(
            wall: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9,
            user: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            sys: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            server: serverCPUSeconds(pid: serverPID))
    }

    /// utime + stime of the server process (fields 14 and 15 of /proc/PID/stat); -1 if unknown.
    static func serverCPUSeconds(pid: Int) -> Double {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return -1 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        guard fields.count > 12, let ut = Double(fields[11]), let st = Double(fields[12]) else { return -1 }
        return (ut + st) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Prints the peers' JSON line.
func report(workload: String, proto: String, n: Int, rows: Int, from a: Mark, to b: Mark, checksum: Double) {
    let wall = b.wall - a.wall
    let user = b.user - a.user
    let sys = b.sys - a.sys
    let server = a.server >= 0 && b.server >= 0 ? b.server - a.server : -1
    func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
    let line =
        "{\"client\":\"mysqlwire\",\"lang\":\"swift\",\"workload\":\"\(workload)\",\"proto\":\"\(proto)\",\"n\":\(n),"
        + "\"rows\":\(rows),\"wall_s\":\(f(wall, 6)),\"user_s\":\(f(user, 6)),\"sys_s\":\(f(sys, 6)),\"cpu_s\":\(f(user + sys, 6)),"
        + "\"per_op_us\":\(f(wall * 1e6 / Double(n), 3)),\"rows_per_s\":\(f(Double(rows) / wall, 1)),"
        + "\"server_cpu_s\":\(f(server, 2)),\"checksum\":\(String(format: "%.17g", checksum))}"
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
