// swift-tools-version: 6.1
// libFuzzer targets for MySQLWire's sans-IO protocol codec. A separate package so the main
// package's `swift build` / `swift test` never see it. Build and run with ./run.sh.
import PackageDescription

let targets = [
    "fuzz_greeting", "fuzz_ok_packet", "fuzz_err_packet", "fuzz_column_definition", "fuzz_text_row",
    "fuzz_auth_switch", "fuzz_packet_decoder", "fuzz_state_machine", "fuzz_values", "fuzz_binary_row",
    "fuzz_prepare_response", "fuzz_execute_response",
]

let package = Package(
    name: "MySQLWireFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [.target(name: "FuzzMain")] + targets.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzMain", .product(name: "MySQLWire", package: "main")],
            path: "Sources/\(name)",
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    }
)
