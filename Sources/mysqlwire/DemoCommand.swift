import ArgumentParser
import MySQLWire
import MySQLWireIO
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `mysqlwire demo`: the first-tutorial scenario. Creates database `sales` with a
/// `customers` table, inserts rows, runs plain SQL, then 10,000 point queries from 100
/// concurrent tasks over a pool of 10 connections, and the same queries one after another on
/// one connection, and prints results and timings.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the demo: create sales.customers, query it, then query concurrently.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Connections in the pool shared by the concurrent tasks.")
    var connections = 10

    @Option(help: "Concurrent tasks.")
    var tasks = 100

    @Option(help: "Queries in all, spread over the tasks.")
    var queries = 10_000

    func run() async throws {
        guard connections > 0, tasks > 0, queries > 0 else {
            throw ValidationError("--connections, --tasks and --queries must be positive")
        }
        var config = try connection.makeConfiguration()
        config.database = nil
        do {
            try await runDemo(config)
        } catch {
            exitWithError(error)
        }
    }

    private func runDemo(_ base: MySQLConfiguration) async throws {
        let setup = try await MySQLConnection.connect(configuration: base)
        print("Connected to \(await setup.serverVersion) (connection id \(await setup.connectionID))")
        try await setup.execute("CREATE DATABASE IF NOT EXISTS sales")
        try await setup.selectDatabase("sales")
        try await setup.execute("DROP TABLE IF EXISTS customers")
        try await setup.execute(
            """
            CREATE TABLE customers (
              id INT AUTO_INCREMENT PRIMARY KEY,
              name VARCHAR(100) NOT NULL,
              job VARCHAR(100),
              city VARCHAR(100),
              credit_limit DECIMAL(10,2) NOT NULL DEFAULT 0,
              created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
            ) DEFAULT CHARSET=utf8mb4
            """)
        let people: [(String, String?, String, String)] = [
            ("Alice Martin", "Engineer", "Lyon", "5000.00"), ("Bob Smith", "Designer", "London", "2500.50"),
            ("Chloé Dubois", "Teacher", "Paris", "1200.00"), ("Dmitri Ivanov", nil, "Berlin", "0.00"),
            ("Eve Müller", "Engineer", "Berlin", "7300.25"), ("Fatima Zahra", "Doctor", "Casablanca", "9100.00"),
            ("Gustavo Lima", "Chef", "São Paulo", "800.75"), ("Hana Kim", "Engineer", "Seoul", "6400.00"),
        ]
        var inserted: UInt64 = 0
        for (name, job, city, limit) in people {
            // Interpolated values are bound parameters (a prepared statement), never spliced.
            let result = try await setup.execute(
                "INSERT INTO customers (name, job, city, credit_limit) VALUES (\(name), \(job), \(city), \(MySQLDecimal(limit)!))"
            )
            inserted += result.affectedRows
        }
        print("Inserted \(inserted) customers into sales.customers\n")

        print("SELECT id, name, job, city, credit_limit FROM customers ORDER BY id")
        for try await row in try await setup.query(
            "SELECT id, name, job, city, credit_limit FROM customers ORDER BY id")
        {
            let (id, name, job, city, limit) = try row.decode((Int, String, String?, String, MySQLDecimal).self)
            print("  \(id)  \(name.padding(16))  \((job ?? "NULL").padding(10))  \(city.padding(11))  \(limit)")
        }
        print("\nSELECT city, COUNT(*), SUM(credit_limit) FROM customers GROUP BY city ORDER BY COUNT(*) DESC, city")
        for try await row in try await setup.query(
            "SELECT city, COUNT(*) AS n, SUM(credit_limit) AS total FROM customers GROUP BY city ORDER BY n DESC, city")
        {
            print(
                "  \(try row.decode(String.self, column: "city").padding(11))  \(try row.decode(Int.self, column: "n"))  \(try row.decode(MySQLDecimal.self, column: "total"))"
            )
        }
        let engineers = try await setup.query("SELECT name FROM customers WHERE job = 'Engineer' ORDER BY name")
            .collect()
        print("\nEngineers: " + (try engineers.map { try $0.decode(String.self, at: 0) }).joined(separator: ", "))
        let update = try await setup.execute(
            "UPDATE customers SET credit_limit = credit_limit * 1.10 WHERE city = 'Berlin'")
        print("Raised the credit limit of \(update.affectedRows) Berlin customers by 10%\n")

        await setup.close()
        try await runConcurrently(base)
    }

    /// The same point queries one after another on one connection, then from `tasks` tasks
    /// sharing a pool of `connections` (the tasks run on the pool's event loop: no thread hop
    /// per query).
    private func runConcurrently(_ base: MySQLConfiguration) async throws {
        var config = base
        config.database = "sales"
        var options = MySQLPool.Options()
        options.minimumConnections = connections
        options.maximumConnections = connections
        let pool = try MySQLPool(configuration: config, options: options)
        let (total, taskCount) = (queries, tasks)
        let clock = ContinuousClock()
        func pointQuery(_ conn: MySQLConnection, _ q: Int) async throws -> Int {
            let id = q % 8 + 1
            var sum = 0
            try await conn.query("SELECT id, name FROM customers WHERE id = \(id)").forEach {
                sum += try $0.decode(Int.self, at: 0)
            }
            return sum
        }
        try await withTaskExecutorPreference(pool.eventLoop.taskExecutor) {
            // Open every connection and prepare its statement before timing.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for q in 0..<connections {
                    group.addTask { _ = try await pool.withConnection { try await pointQuery($0, q) } }
                }
                try await group.waitForAll()
            }
            let sequentialStart = clock.now
            let sequentialSum = try await pool.withConnection { conn in
                var sum = 0
                for q in 0..<total { sum += try await pointQuery(conn, q) }
                return sum
            }
            let sequential = clock.now - sequentialStart

            let concurrentStart = clock.now
            let concurrentSum = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<taskCount {
                    group.addTask {
                        var sum = 0
                        var q = task
                        while q < total {
                            sum += try await pool.withConnection { try await pointQuery($0, q) }
                            q += taskCount
                        }
                        return sum
                    }
                }
                return try await group.reduce(0, +)
            }
            let concurrent = clock.now - concurrentStart
            let (s, c) = (sequential.seconds, concurrent.seconds)
            print(
                "\(total) point queries one after another on one connection: \(String(format2: s * 1000)) ms (\(Int(Double(total) / s)) queries/s), checksum \(sequentialSum)"
            )
            print(
                "\(total) point queries from \(taskCount) concurrent tasks over a pool of \(connections) connections: \(String(format2: c * 1000)) ms (\(Int(Double(total) / c)) queries/s), checksum \(concurrentSum)"
            )
            print("Concurrent is \(String(format2: s / c))x faster (pool: \(pool.metrics))")
        }
        await pool.shutdown()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension String {
    func padding(_ width: Int) -> String {
        let n = count
        return n >= width ? self : self + String(repeating: " ", count: width - n)
    }

    init(format2 value: Double) {
        let scaled = (value * 100).rounded()
        let whole = Int(scaled / 100)
        let frac = Int(abs(scaled).truncatingRemainder(dividingBy: 100))
        self = "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}
