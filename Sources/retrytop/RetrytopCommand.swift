import ArgumentParser

@main
struct RetrytopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retrytop", abstract: "A terminal dashboard for Celery retry storms on Redis.")
    func run() throws {}
}
