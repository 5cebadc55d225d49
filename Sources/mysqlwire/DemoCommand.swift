import ArgumentParser
import MySQLWire

#if canImport(Glibc)
    import Glibc
#endif

/// `mysqlwire demo`: the first-tutorial scenario. Creates database `sales` with a
/// `customers` table, inserts rows, runs plain SQL, then 1,000 point queries from 100
/// concurrent tasks over several connections, and prints results and timings.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the demo: create sales.customers, query it, then query concurrently.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Connections shared by the concurrent tasks.")
    var connections = 4

    @Option(help: "Concurrent tasks.")
    var tasks = 100

    @Option(help: "Queries in all, spread over the tasks.")
    var queries = 1000

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
            let jobSQL = job.map { "'\($0)'" } ?? "NULL"
            let result = try await setup.execute(
                "INSERT INTO customers (name, job, city, credit_limit) VALUES ('\(name)', \(jobSQL), '\(city)', \(limit))"
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

        // Concurrency: many tasks share a few connections; each connection runs its
        // requests one at a time, in order.
        var config = base
        config.database = "sales"
        var pool: [MySQLConnection] = []
        for _ in 0..<connections { pool.append(try await MySQLConnection.connect(configuration: config)) }
        let total = queries
        let taskCount = tasks
        let shared = pool
        let clock = ContinuousClock()
        let start = clock.now
        let checksum = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<taskCount {
                group.addTask {
                    let conn = shared[task % shared.count]
                    var sum = 0
                    var q = task
                    while q < total {
                        let id = q % 8 + 1
                        for try await row in try await conn.query("SELECT id, name FROM customers WHERE id = \(id)") {
                            sum += try row.decode(Int.self, at: 0)
                        }
                        q += taskCount
                    }
                    return sum
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "\(total) point queries from \(taskCount) concurrent tasks over \(connections) connections: \(String(format2: seconds * 1000)) ms (\(Int(Double(total) / seconds)) queries/s), checksum \(checksum)"
        )
        for conn in pool { await conn.close() }
        await setup.close()
    }
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
