// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "MySQLWire",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MySQLWire", targets: ["MySQLWire"]),
        .executable(name: "mysqlwire", targets: ["mysqlwire"]),
        .executable(name: "mysqlwire-bench", targets: ["mysqlwire-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMySQLWireOpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "MySQLWireIO",
            dependencies: [
                "CMySQLWireOpenSSL",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MySQLWireProtocol",
            dependencies: ["CMySQLWireOpenSSL"],
            swiftSettings: strict
        ),
        .target(
            name: "MySQLWire",
            dependencies: [
                "MySQLWireIO",
                "MySQLWireProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mysqlwire",
            dependencies: [
                "MySQLWire",
                "MySQLWireIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mysqlwire-bench",
            dependencies: ["MySQLWire", "MySQLWireIO"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MySQLWireProtocolTests",
            dependencies: ["MySQLWireProtocol"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MySQLWireIOTests",
            dependencies: ["MySQLWireIO"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MySQLWireTests",
            dependencies: [
                "MySQLWire", "MySQLWireIO", "MySQLWireProtocol",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)
