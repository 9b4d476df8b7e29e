import ArgumentParser
import CeleryLink
import Foundation
import Monitor
import RedisLink

/// Where the broker is and how Celery names its channels (kombu's transport options).
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Broker URL: redis://[user:password@]host[:port][/db], rediss://… (TLS), unix:///path?db=N or sentinel://host:26379[;sentinel://host2:26379…][/db] (with --master-name). Default: $CELERY_BROKER_URL, else redis://localhost:6379/0.")
    var broker: String?

    @Option(name: .long, help: "File holding the broker URL (keeps the password out of argv); must not be group/world-readable (chmod 600).")
    var brokerFile: String?

    @Option(name: .long, help: "rediss:// only: required (default), optional or none (no verification; the header says TLS UNVERIFIED). Overrides ssl_cert_reqs.")
    var sslCertReqs: String?

    @Option(name: .long, help: "rediss:// only: PEM file of CA certificates to trust (default: the system store). Overrides ssl_ca_certs.")
    var sslCaCerts: String?

    @Option(name: .long, help: "rediss:// only: PEM client certificate for mutual TLS. Overrides ssl_certfile.")
    var sslCertfile: String?

    @Option(name: .long, help: "rediss:// only: PEM private key of --ssl-certfile. Overrides ssl_keyfile.")
    var sslKeyfile: String?

    @Option(name: .long, help: "sentinel:// only: the master's name (kombu's master_name transport option); required for sentinel URLs.")
    var masterName: String?

    @Option(name: .long, help: "sentinel:// only: the sentinels' password (kombu's sentinel_kwargs={'password': …}); better in $\(SentinelSettings.passwordEnvironmentVariable), which keeps it out of argv.")
    var sentinelPassword: String?

    @Flag(name: .long, help: "sentinel:// only: TLS to the sentinels too (kombu's sentinel_kwargs={'ssl': True, …}), with the master's CA and client certificate options (else the --sentinel-ssl-* ones).")
    var sentinelSsl = false

    @Option(name: .long, help: "sentinel:// only: PEM CA file to verify the sentinels against (sentinel_kwargs' ssl_ca_certs); implies --sentinel-ssl, independent of the master's TLS.")
    var sentinelSslCaCerts: String?

    @Option(name: .long, help: "sentinel:// only: PEM client certificate for the sentinels (sentinel_kwargs' ssl_certfile); implies --sentinel-ssl.")
    var sentinelSslCertfile: String?

    @Option(name: .long, help: "sentinel:// only: PEM private key of --sentinel-ssl-certfile (sentinel_kwargs' ssl_keyfile).")
    var sentinelSslKeyfile: String?

    @Option(name: .long, help: "kombu fanout_prefix: 'true' (default, /{db}.), 'false', or a custom prefix.")
    var fanoutPrefix: String = "true"

    @Flag(name: .long, help: "kombu fanout_patterns=False: events arrive on one channel without the routing key.")
    var noFanoutPatterns = false

    @Option(name: .long, help: "kombu global_keyprefix, prepended to keys and channels.")
    var globalKeyprefix: String = ""

    @Option(name: .long, help: "Tasks tracked before finished ones are evicted.")
    var maxTasks: Int = 100_000

    var transportOptions: TransportOptions {
        let prefix: TransportOptions.FanoutPrefix = switch fanoutPrefix.lowercased() {
        case "true", "1", "yes": .enabled
        case "false", "0", "no", "": .disabled
        default: .custom(fanoutPrefix)
        }
        return TransportOptions(fanoutPrefix: prefix, fanoutPatterns: !noFanoutPatterns, globalKeyprefix: globalKeyprefix)
    }

    /// True when neither --broker, --broker-file nor $CELERY_BROKER_URL names a broker.
    var usesDefaultBroker: Bool {
        broker?.isEmpty != false && brokerFile == nil
            && ProcessInfo.processInfo.environment[BrokerURL.environmentVariable]?.isEmpty != false
    }

    var limits: MonitorLimits { MonitorLimits(maxTasks: max(100, maxTasks)) }

    /// The broker URL (from --broker, --broker-file, $CELERY_BROKER_URL or the default) with the TLS
    /// options applied, or a clear error. Warns once on stderr when --broker carries a password.
    /// The sentinel options serve a `sentinel://` `resultBackend` too, so they are not refused for a direct broker then.
    func resolvedURL(resultBackend: ResultBackendLocation? = nil) throws -> BrokerURL {
        var url: BrokerURL
        do {
            if let brokerFile {
                if broker?.isEmpty == false { throw UsageError(message: "give either --broker or --broker-file, not both") }
                url = try BrokerURL(parsing: try BrokerFile.read(path: brokerFile))
            } else {
                url = try BrokerURL.resolve(broker: broker, environment: ProcessInfo.processInfo.environment)
                if broker?.isEmpty == false { Self.warnAboutArgvPassword(url, option: "--broker") }
                if usesDefaultBroker {
                    FileHandle.standardError.write(Data("retrytop: no --broker and no \(BrokerURL.environmentVariable): using the default \(BrokerURL.defaultURL)\n".utf8))
                }
            }
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError(message: "\(error)")
        }
        let overrides = [("--ssl-cert-reqs", sslCertReqs), ("--ssl-ca-certs", sslCaCerts), ("--ssl-certfile", sslCertfile), ("--ssl-keyfile", sslKeyfile)]
        let given = overrides.filter { $0.1 != nil }
        if url.sentinel != nil, url.tls == nil, !given.isEmpty {
            // kombu: broker_use_ssl turns TLS on for a sentinel URL's master.
            url.tls = TLSSettings()
        }
        guard !given.isEmpty else { return try applySentinelOptions(to: url, resultBackend: resultBackend) }
        guard var tls = url.tls else {
            throw UsageError(message: "\(given.map(\.0).joined(separator: ", ")) need a rediss:// broker URL (TLS); \(url.redacted) is not one")
        }
        if let sslCertReqs {
            guard let requirement = TLSSettings.CertificateRequirement(celery: sslCertReqs) else {
                throw UsageError(message: "--ssl-cert-reqs '\(sslCertReqs)' is not one of required, optional, none")
            }
            tls.certificateRequirement = requirement
        }
        if let sslCaCerts { tls.caCertificatesFile = sslCaCerts }
        if let sslCertfile { tls.certificateFile = sslCertfile }
        if let sslKeyfile { tls.keyFile = sslKeyfile }
        url.tls = tls
        return try applySentinelOptions(to: url, resultBackend: resultBackend)
    }

    /// Adds --master-name, the sentinels' password (--sentinel-password, else $RETRYTOP_SENTINEL_PASSWORD)
    /// and --sentinel-ssl to a sentinel:// URL (see `BrokerURL.applyingSentinelOptions`). A direct broker
    /// beside a sentinel:// result backend is left as it is: the options were the backend's.
    func applySentinelOptions(to url: BrokerURL, resultBackend: ResultBackendLocation?) throws -> BrokerURL {
        var applied = url
        if url.sentinel != nil || resultBackend?.url?.sentinel == nil {
            let ownTLS = try sentinelTLSSettings()
            do {
                applied = try url.applyingSentinelOptions(
                    masterName: masterName, password: sentinelPassword, sentinelTLS: sentinelSsl,
                    sentinelTLSSettings: ownTLS, environment: ProcessInfo.processInfo.environment)
            } catch {
                throw UsageError(message: error.description)
            }
        }
        if sentinelPassword?.isEmpty == false {
            FileHandle.standardError.write(Data(("retrytop: warning: --sentinel-password on the command line may not be safe (other users can see it in ps); "
                + "use $\(SentinelSettings.passwordEnvironmentVariable)\n").utf8))
        }
        return applied
    }

    /// The sentinels' own TLS from the --sentinel-ssl-* options (redis-py's `sentinel_kwargs` stand apart from
    /// the master's: verified against the system store unless a CA file is given), nil when none is given.
    func sentinelTLSSettings() throws -> TLSSettings? {
        guard sentinelSslCaCerts != nil || sentinelSslCertfile != nil || sentinelSslKeyfile != nil else { return nil }
        if sentinelSslKeyfile != nil, sentinelSslCertfile == nil {
            throw UsageError(message: "--sentinel-ssl-keyfile needs --sentinel-ssl-certfile (the client certificate)")
        }
        return TLSSettings(caCertificatesFile: sentinelSslCaCerts, certificateFile: sentinelSslCertfile, keyFile: sentinelSslKeyfile)
    }

    /// Prints the one-line warning (as redis-cli does for `-a`) when a URL given in argv has a password.
    static func warnAboutArgvPassword(_ url: BrokerURL, option: String) {
        guard let warning = BrokerFile.argvPasswordWarning(url, option: option) else { return }
        FileHandle.standardError.write(Data((warning + "\n").utf8))
    }

    /// The ingest pipeline for these options (not started); its subscriber knows the URL and pattern.
    func makePipeline(resultBackend: ResultBackendLocation? = nil) throws -> IngestPipeline {
        let configuration = EventSubscriber.Configuration(url: try resolvedURL(resultBackend: resultBackend), options: transportOptions)
        return IngestPipeline(subscriber: EventSubscriber(configuration: configuration))
    }
}

/// A mistake in what the user asked for, shown as one clear line without the usage text.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
