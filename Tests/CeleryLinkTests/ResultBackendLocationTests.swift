import CeleryLink
import RedisLink
import Testing

/// `--result-backend`/`$CELERY_RESULT_BACKEND` as Celery writes them, including its `sentinel://` backend
/// (`SentinelBackend`: sentinels separated by `;`, the master's credentials and db from the first URL, the
/// master's name from `result_backend_transport_options`).
@Suite struct ResultBackendLocationTests {
    static let sentinels = ResultBackendLocation.SentinelOptions(masterName: "mymaster")

    @Test func celerysSentinelBackendURLIsReadThroughItsSentinels() throws {
        let location = ResultBackendLocation.resolve(
            flag: "sentinel://:pw@10.0.0.11:26379/1;sentinel://10.0.0.12:26380;sentinel://10.0.0.13", environment: [:], sentinel: Self.sentinels)
        #expect(location.skipReason == nil)
        let url = try #require(location.url)
        #expect(url.sentinel?.nodes.map(\.description) == ["10.0.0.11:26379", "10.0.0.12:26380", "10.0.0.13:26379"])
        #expect(url.sentinel?.masterName == "mymaster")
        #expect(url.password == "pw" && url.db == 1 && url.tls == nil)
        #expect(location.description == "sentinel://:***@10.0.0.11:26379/1;sentinel://10.0.0.12:26380;sentinel://10.0.0.13:26379 master mymaster")
        #expect(!location.description.contains("pw@"))
    }

    /// Celery's documented form puts `/0` after the last sentinel; like kombu, Celery takes the db from the first URL.
    @Test func theDatabaseComesFromTheFirstURL() throws {
        let location = ResultBackendLocation.resolve(
            flag: nil, environment: ["CELERY_RESULT_BACKEND": "sentinel://host:26379;sentinel://host2:26379/3"], sentinel: Self.sentinels)
        #expect(location.url?.db == 0)
        #expect(location.url?.sentinel?.nodes.count == 2)
    }

    @Test func withoutAMasterNameTheBackendIsSkippedWithTheOptionToGive() {
        let location = ResultBackendLocation.resolve(flag: "sentinel://:secret@h1:26379/1", environment: [:])
        #expect(location.url == nil)
        let reason = location.skipReason ?? ""
        #expect(reason.contains("--result-backend-master-name") && reason.contains("master_name"), "\(reason)")
        #expect(!reason.contains("secret"))
    }

    @Test func theSentinelsPasswordAndTLSFollowTheBrokersRules() throws {
        let environment = [SentinelSettings.passwordEnvironmentVariable: "sentinel-env"]
        let fromEnvironment = ResultBackendLocation.resolve(flag: "sentinel://h1/1", environment: environment, sentinel: Self.sentinels)
        #expect(fromEnvironment.url?.sentinel?.password == "sentinel-env")
        #expect(fromEnvironment.url?.sentinel?.tls == nil)
        let given = ResultBackendLocation.resolve(
            flag: "sentinel://h1/1?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fca.pem", environment: environment,
            sentinel: .init(masterName: "m", password: "sentinel-flag", tls: true))
        let url = try #require(given.url)
        #expect(url.sentinel?.password == "sentinel-flag")
        // ssl_* on the first URL: TLS to the master; --sentinel-ssl: the same settings for the sentinels.
        #expect(url.tls == TLSSettings(certificateRequirement: .required, caCertificatesFile: "/etc/ca.pem"))
        #expect(url.sentinel?.tls == url.tls)
    }

    @Test func directBackendsIgnoreTheSentinelOptions() {
        let location = ResultBackendLocation.resolve(flag: "redis://:pw@h:6379/1", environment: [:], sentinel: Self.sentinels)
        #expect(location.url?.sentinel == nil && location.url?.db == 1)
        #expect(location.skipReason == nil)
    }

    @Test func otherBackendsAreSkippedNotRefused() {
        #expect(ResultBackendLocation.resolve(flag: "db+postgresql://u:p@h/db", environment: [:]).skipReason?.contains("'db+postgresql://'") == true)
        #expect(ResultBackendLocation.resolve(flag: "", environment: [:]).skipReason?.contains("no result backend given") == true)
        let malformed = ResultBackendLocation.resolve(flag: "sentinel://:pw@h1:99999", environment: [:], sentinel: Self.sentinels)
        #expect(malformed.url == nil && malformed.skipReason?.contains("not usable") == true)
        #expect(malformed.skipReason?.contains("pw@") == false)
    }
}
