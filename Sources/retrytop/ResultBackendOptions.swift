import ArgumentParser
import CeleryLink
import Foundation

/// Where the result backend is (`--result-backend`, else `$CELERY_RESULT_BACKEND`) and, for Celery's
/// `sentinel://` backend, its master's name (`--result-backend-master-name`, else the broker's `--master-name`).
///
/// Why: backfill and requeue's exact-argument lookup read the same backend; a `sentinel://` one follows the
/// broker's rules for the sentinels' password and TLS (`--sentinel-password`/`$RETRYTOP_SENTINEL_PASSWORD`,
/// `--sentinel-ssl`, `--sentinel-ssl-*`), so a deployment whose broker and results share the sentinels needs no option twice.
struct ResultBackendOptions: ParsableArguments {
    @Option(name: .long, help: "Redis result backend URL (redis://, rediss://, unix:// or sentinel://host:26379[;sentinel://host2:26379…][/db]): read at start (failures from before retrytop, with exact arguments when workers use result_extended=True) and for exact requeue (default: $CELERY_RESULT_BACKEND).")
    var resultBackend: String?

    @Option(name: .long, help: "sentinel:// result backend only: its master's name (Celery's result_backend_transport_options={'master_name': …}); default: --master-name.")
    var resultBackendMasterName: String?

    /// The backend to read, or why none is; refuses `--result-backend-master-name` for a backend that is not `sentinel://`.
    func location(broker: BrokerOptions) throws -> ResultBackendLocation {
        let environment = ProcessInfo.processInfo.environment
        let sentinel = ResultBackendLocation.SentinelOptions(
            masterName: resultBackendMasterName ?? broker.masterName, password: broker.sentinelPassword, tls: broker.sentinelSsl,
            tlsSettings: try broker.sentinelTLSSettings())
        let location = ResultBackendLocation.resolve(flag: resultBackend, environment: environment, sentinel: sentinel)
        if resultBackendMasterName != nil {
            let given = [resultBackend, environment[ResultBackendLocation.environmentVariable]].compactMap { $0 }.first { !$0.isEmpty }
            guard given?.lowercased().hasPrefix("sentinel://") == true else {
                throw UsageError(message: "--result-backend-master-name needs a sentinel:// result backend (--result-backend or $\(ResultBackendLocation.environmentVariable))")
            }
        }
        return location
    }

    /// The one-line warning when `--result-backend` put a password in argv (the environment is the safe place).
    func warnAboutArgvPassword(_ location: ResultBackendLocation) {
        guard resultBackend?.isEmpty == false, let url = location.url else { return }
        BrokerOptions.warnAboutArgvPassword(url, option: "--result-backend")
    }
}
