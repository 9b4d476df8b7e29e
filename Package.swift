// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "retrytop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "retrytop", targets: ["retrytop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "Monitor"),
        .target(name: "RedisLink", dependencies: ["CHiredis", "COpenSSL", "Monitor"]),
        .target(name: "TerminalUI"),
        .target(name: "Dashboard", dependencies: ["Monitor", "TerminalUI"]),
        .target(name: "NCursesTerminal", dependencies: ["CNcurses", "TerminalUI"]),
        .target(name: "Runtime", dependencies: ["Monitor", "RedisLink", "Dashboard", "TerminalUI"]),
        .target(name: "Firehose", dependencies: ["Monitor", "RedisLink"]),
        .target(name: "TestSupport", dependencies: ["Monitor", "TerminalUI", "Dashboard"]),
        .executableTarget(
            name: "retrytop",
            dependencies: [
                "Monitor", "RedisLink", "Runtime", "TerminalUI", "Dashboard", "NCursesTerminal", "Firehose",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "TestSupport"]),
        .testTarget(name: "RedisLinkTests", dependencies: ["RedisLink", "Monitor", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "TerminalUI", "Monitor", "TestSupport"]),
        .testTarget(name: "FirehoseTests", dependencies: ["Firehose", "Monitor", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Monitor", "RedisLink", "Runtime", "Dashboard", "TerminalUI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
