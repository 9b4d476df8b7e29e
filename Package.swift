// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "retrytop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "retrytop", targets: ["retrytop"]),
        .executable(name: "DecodeFuzz", targets: ["DecodeFuzz"]),
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
        .target(name: "CTerminalGuard", dependencies: ["CNcurses"]),
        .target(name: "NCursesTerminal", dependencies: ["CNcurses", "CTerminalGuard", "TerminalUI"]),
        // The loop: works through ports only (event source, action port, clock, terminal); no Redis, no Celery.
        .target(name: "Runtime", dependencies: ["Monitor", "Dashboard", "TerminalUI"]),
        // The audit trail on disk and the write-ahead rule every sender of control messages follows.
        .target(name: "AuditFile", dependencies: ["Monitor", "RedisLink"]),
        // The Celery adapter: ingest, actions, worker control, backfill; where Celery wire knowledge meets the loop's ports.
        .target(name: "CeleryLink", dependencies: ["Monitor", "RedisLink", "Runtime", "AuditFile"]),
        .target(name: "Firehose", dependencies: ["Monitor", "RedisLink"]),
        .target(name: "TestSupport", dependencies: ["Monitor", "TerminalUI", "Dashboard", "RedisLink"]),
        .executableTarget(
            name: "retrytop",
            dependencies: [
                "Monitor", "RedisLink", "Runtime", "AuditFile", "CeleryLink", "TerminalUI", "Dashboard", "NCursesTerminal", "Firehose",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz target (scripts/fuzz.sh builds it with libFuzzer); a plain build replays input files.
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(name: "DecodeFuzz", dependencies: ["Monitor", "CLibFuzzer"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "TestSupport"]),
        .testTarget(name: "RedisLinkTests", dependencies: ["RedisLink", "Monitor", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "TerminalUI", "Monitor", "TestSupport"]),
        .testTarget(name: "FirehoseTests", dependencies: ["Firehose", "Monitor", "TestSupport"]),
        .testTarget(name: "CeleryLinkTests", dependencies: ["CeleryLink", "Runtime", "AuditFile", "RedisLink", "Monitor", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Monitor", "RedisLink", "Runtime", "AuditFile", "CeleryLink", "Dashboard", "TerminalUI", "TestSupport", "Firehose"]),
    ],
    swiftLanguageModes: [.v6]
)
