import ArgumentParser

@main
struct RetrytopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrytop",
        abstract: "A keyboard-driven terminal dashboard for Celery retry storms on Redis.",
        discussion: "With no subcommand, opens the dashboard on --broker (default: $CELERY_BROKER_URL, else redis://localhost:6379/0).",
        version: RetrytopCommand.version,
        subcommands: [DashboardCommand.self, SnapshotCommand.self, ReplayCommand.self, EventsCommand.self, FirehoseCommand.self, BenchCommand.self, RevokeCommand.self, RequeueCommand.self, RateLimitCommand.self, ConsumersCommand.self, RecordCommand.self],
        defaultSubcommand: DashboardCommand.self
    )

    /// The release this binary was built from (`retrytop --version`); bump it with each tagged release.
    static let version = "0.1.0"
}
