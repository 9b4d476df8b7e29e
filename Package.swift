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
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Monitor"),
        // The background threads' one start / stop / wake / join type (no dependencies).
        .target(name: "Threading"),
        // The one process launcher (posix_spawn, output in files, stopped by PID) and a free loopback port:
        // the benchmark's children and the test harness's processes.
        .target(name: "Launch"),
        // retrytop's state directory ($XDG_STATE_HOME/retrytop) and its owner-only mkdir -p: the audit log's and the journal's.
        .target(name: "StateFiles"),
        // What an operator can do to tasks and workers, pure: requests, plans and outcomes of revoke, requeue and
        // worker changes, the ports the loop sends them through, exact arguments and the task-message encoder.
        .target(name: "Actions", dependencies: ["Monitor"]),
        .target(name: "RedisLink", dependencies: ["CHiredis", "COpenSSL", "Monitor", "Threading"]),
        .target(name: "TerminalUI"),
        .target(name: "Dashboard", dependencies: ["Monitor", "Actions", "TerminalUI"]),
        .target(name: "CTerminalGuard", dependencies: ["CNcurses"]),
        .target(name: "NCursesTerminal", dependencies: ["CNcurses", "CTerminalGuard", "TerminalUI"]),
        // The loop: works through ports only (event source, action port, clock, terminal); no Redis, no Celery.
        .target(name: "Runtime", dependencies: ["Monitor", "Actions", "Dashboard", "TerminalUI"]),
        // The audit trail on disk and the write-ahead rule every sender of control messages follows.
        .target(name: "AuditFile", dependencies: ["Monitor", "Actions", "RedisLink", "StateFiles"]),
        // The Celery adapter: ingest, actions, worker control, backfill; where Celery wire knowledge meets the loop's ports.
        .target(name: "CeleryLink", dependencies: ["Monitor", "Actions", "RedisLink", "Runtime", "AuditFile", "Threading"]),
        .target(name: "Firehose", dependencies: ["Monitor", "RedisLink", "Launch", "Threading"]),
        // The SQLite journal of attempts, rates, workers, actions and gaps (an adapter: Monitor's values in, rows out).
        .target(name: "Journal", dependencies: ["CSQLite", "Monitor", "StateFiles", "Threading"]),
        .target(name: "TestSupport", dependencies: ["Monitor", "Actions", "TerminalUI", "Dashboard", "RedisLink", "Runtime", "Launch", "Firehose"]),
        .executableTarget(
            name: "retrytop",
            dependencies: [
                "Monitor", "Actions", "RedisLink", "Runtime", "AuditFile", "CeleryLink", "TerminalUI", "Dashboard", "NCursesTerminal", "Firehose",
                "Journal", "Launch", "Threading",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz target (scripts/fuzz.sh builds it with libFuzzer); a plain build replays input files.
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(name: "DecodeFuzz", dependencies: ["Monitor", "CLibFuzzer"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "Actions", "TestSupport"]),
        .testTarget(name: "ActionsTests", dependencies: ["Actions", "Monitor", "TestSupport"]),
        .testTarget(name: "RedisLinkTests", dependencies: ["RedisLink", "Monitor", "TestSupport", "Launch"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Actions", "TerminalUI", "Monitor", "TestSupport", "Firehose"]),
        .testTarget(name: "FirehoseTests", dependencies: ["Firehose", "Monitor", "TestSupport", "Launch"]),
        .testTarget(name: "NCursesTerminalTests", dependencies: ["NCursesTerminal", "TerminalUI"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Actions", "Dashboard", "Monitor", "TerminalUI", "TestSupport"]),
        .testTarget(name: "CeleryLinkTests", dependencies: ["CeleryLink", "Firehose", "Actions", "Runtime", "AuditFile", "RedisLink", "Monitor", "Dashboard", "TerminalUI", "TestSupport", "Threading"]),
        .testTarget(name: "StateFilesTests", dependencies: ["StateFiles"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "Monitor", "TestSupport"]),
        .testTarget(name: "ThreadingTests", dependencies: ["Threading"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Monitor", "Actions", "RedisLink", "Runtime", "AuditFile", "CeleryLink", "Dashboard", "TerminalUI", "TestSupport", "Firehose", "Journal", "Launch"]),
    ],
    swiftLanguageModes: [.v6]
)
