import Testing
import RedisLink

@Suite struct BrokerURLTests {
    @Test func plainHostUsesDefaults() throws {
        let url = try BrokerURL(parsing: "redis://localhost")
        #expect(url.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(url.db == 0)
        #expect(url.password == nil && url.username == nil)
        #expect(url.redacted == "redis://localhost:6379/0")
    }

    @Test func hostPortAndDatabase() throws {
        let url = try BrokerURL(parsing: "redis://10.0.0.5:6390/2")
        #expect(url.endpoint == .tcp(host: "10.0.0.5", port: 6390))
        #expect(url.db == 2)
    }

    @Test func emptyHostMeansLocalhostAndTrailingSlashMeansDbZero() throws {
        #expect(try BrokerURL(parsing: "redis://").endpoint == .tcp(host: "localhost", port: 6379))
        #expect(try BrokerURL(parsing: "redis://h:1/").db == 0)
    }

    @Test func passwordOnly() throws {
        let url = try BrokerURL(parsing: "redis://:s3cret@redis.internal:6380/1")
        #expect(url.password == "s3cret")
        #expect(url.username == nil)
        #expect(url.redacted == "redis://:***@redis.internal:6380/1")
    }

    @Test func userAndPercentEncodedPassword() throws {
        let url = try BrokerURL(parsing: "redis://al%69ce:p%40ss%3Aw%2Frd@host/3")
        #expect(url.username == "alice")
        #expect(url.password == "p@ss:w/rd")
        #expect(url.db == 3)
        #expect(url.redacted == "redis://alice:***@host:6379/3")
    }

    @Test func rawAtSignInPasswordUsesLastAt() throws {
        let url = try BrokerURL(parsing: "redis://:a@b@host:7000")
        #expect(url.password == "a@b")
        #expect(url.endpoint == .tcp(host: "host", port: 7000))
    }

    @Test func dbQueryOverridesPath() throws {
        #expect(try BrokerURL(parsing: "redis://host:6379?db=5").db == 5)
        #expect(try BrokerURL(parsing: "redis://host:6379/1?db=4").db == 4)
    }

    @Test func ipv6Host() throws {
        let url = try BrokerURL(parsing: "redis://[::1]:6390/0")
        #expect(url.endpoint == .tcp(host: "::1", port: 6390))
        #expect(url.redacted == "redis://[::1]:6390/0")
    }

    @Test func unixSocketForms() throws {
        let unix = try BrokerURL(parsing: "unix:///run/redis/redis.sock?db=2")
        #expect(unix.endpoint == .unixSocket(path: "/run/redis/redis.sock"))
        #expect(unix.db == 2)
        #expect(unix.redacted == "unix:///run/redis/redis.sock?db=2")

        let socket = try BrokerURL(parsing: "redis+socket:///tmp/r.sock?virtual_host=3")
        #expect(socket.endpoint == .unixSocket(path: "/tmp/r.sock"))
        #expect(socket.db == 3)

        let noDb = try BrokerURL(parsing: "unix:///tmp/r.sock")
        #expect(noDb.db == 0)

        let withPassword = try BrokerURL(parsing: "unix://:pw@/tmp/r.sock?db=1")
        #expect(withPassword.password == "pw")
        #expect(withPassword.endpoint == .unixSocket(path: "/tmp/r.sock"))
        #expect(withPassword.redacted == "unix://:***@/tmp/r.sock?db=1")

        let queryPassword = try BrokerURL(parsing: "redis+socket:///tmp/r.sock?password=pw2")
        #expect(queryPassword.password == "pw2")
        #expect(!queryPassword.redacted.contains("pw2"))
    }

    @Test func redissParsesCeleryTLSOptions() throws {
        let url = try BrokerURL(parsing:
            "rediss://app:pw@redis.example.com:6380/3?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fssl%2Fmy%20ca.pem"
            + "&ssl_certfile=/c/client.pem&ssl_keyfile=/c/client.key")
        #expect(url.scheme == "rediss")
        #expect(url.endpoint == .tcp(host: "redis.example.com", port: 6380))
        #expect(url.db == 3)
        #expect(url.username == "app" && url.password == "pw")
        #expect(url.tls == TLSSettings(
            certificateRequirement: .required, caCertificatesFile: "/etc/ssl/my ca.pem",
            certificateFile: "/c/client.pem", keyFile: "/c/client.key"))
        #expect(url.redacted == "rediss://app:***@redis.example.com:6380/3")
    }

    @Test(arguments: [
        ("CERT_REQUIRED", TLSSettings.CertificateRequirement.required), ("required", .required),
        ("CERT_OPTIONAL", .optional), ("optional", .optional), ("CERT_NONE", .none), ("none", .none), ("cert_none", .none),
    ])
    func certificateRequirementSpellings(_ text: String, _ expected: TLSSettings.CertificateRequirement) throws {
        let url = try BrokerURL(parsing: "rediss://h:6380/0?ssl_cert_reqs=\(text)")
        #expect(url.tls?.certificateRequirement == expected)
        #expect(url.tls?.verifiesServer == (expected != .none))
    }

    @Test func redissDefaultsToVerifiedAgainstTheSystemStore() throws {
        let url = try BrokerURL(parsing: "rediss://:pw@h")
        #expect(url.tls == TLSSettings())
        #expect(url.tls?.trustSource == "the system CA store")
        #expect(url.endpoint == .tcp(host: "h", port: 6379))
        #expect(try BrokerURL(parsing: "redis://h/0").tls == nil)
    }

    @Test func unverifiedTLSShowsInTheRedactedURL() throws {
        let url = try BrokerURL(parsing: "rediss://:secret@127.0.0.1:6380/0?ssl_cert_reqs=none")
        #expect(url.redacted == "rediss://:***@127.0.0.1:6380/0?ssl_cert_reqs=none")
        #expect(!url.redacted.contains("secret"))
    }

    @Test(arguments: [
        "rediss://h/0?ssl_cert_reqs=maybe", "rediss://h/0?ssl_keyfile=/k.pem", "rediss://h/0?ssl_check_hostname=perhaps",
    ])
    func badTLSOptionsAreRejectedWithTheReason(_ text: String) {
        do {
            _ = try BrokerURL(parsing: text)
            Issue.record("\(text) accepted")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("ssl_"), "\(message)")
        }
    }

    @Test func otherSchemesListWhatIsSupported() throws {
        do {
            _ = try BrokerURL(parsing: "amqp://guest:guest@localhost//")
            Issue.record("amqp accepted")
        } catch let error as BrokerURL.ParseError {
            #expect(error == .unsupportedScheme("amqp"))
            #expect(error.description.contains("redis://"))
            #expect(error.description.contains("unix://"))
            #expect(error.description.contains("redis+socket://"))
        }
    }

    @Test(arguments: [
        "localhost:6379", "redis://host:notaport/0", "redis://host:70000/0", "redis://host/-1", "redis://host/abc",
        "unix://", "redis://[::1/0",
    ])
    func malformedURLsAreRejected(_ text: String) {
        #expect(throws: BrokerURL.ParseError.self) { try BrokerURL(parsing: text) }
    }

    @Test func errorsNeverEchoThePassword() {
        for text in ["redis://:topsecret@host:bad/0", "redis://u:topsecret@host/x", "unix://relative?password=topsecret"] {
            do {
                _ = try BrokerURL(parsing: text)
                Issue.record("\(text) accepted")
            } catch {
                #expect(!String(describing: error).contains("topsecret"), "\(error)")
            }
        }
    }

    @Test func redactionNeverContainsThePassword() throws {
        for text in ["redis://:hunter2@h/0", "redis://u:hunter2@h:1/2", "unix://:hunter2@/s.sock", "redis://h?password=hunter2"] {
            let url = try BrokerURL(parsing: text)
            #expect(!url.redacted.contains("hunter2"))
            #expect(!url.description.contains("hunter2"))
            #expect(url.redacted.contains("***"))
        }
    }

    @Test func resolvePrefersFlagThenEnvironmentThenDefault() throws {
        let environment = ["CELERY_BROKER_URL": "redis://env-host:6390/4"]
        #expect(try BrokerURL.resolve(broker: "redis://flag-host/1", environment: environment).endpoint
            == .tcp(host: "flag-host", port: 6379))
        #expect(try BrokerURL.resolve(broker: nil, environment: environment).db == 4)
        #expect(try BrokerURL.resolve(broker: "", environment: environment).db == 4)
        let fallback = try BrokerURL.resolve(broker: nil, environment: [:])
        #expect(fallback == BrokerURL(endpoint: .tcp(host: "localhost", port: 6379), db: 0))
        #expect(try BrokerURL.resolve(broker: nil, environment: ["CELERY_BROKER_URL": "rediss://h"]).tls == TLSSettings())
    }
}
