import Testing
import RedisLink

/// `sentinel://` URLs as kombu reads them, the sentinel options, and `+switch-master` messages.
@Suite struct SentinelURLTests {
    @Test func oneSentinelWithPasswordAndDatabase() throws {
        let url = try BrokerURL(parsing: "sentinel://:s3cret@10.0.0.7:26380/2")
        #expect(url.sentinel?.nodes == [SentinelSettings.Node(host: "10.0.0.7", port: 26_380)])
        #expect(url.password == "s3cret" && url.username == nil)
        #expect(url.db == 2)
        #expect(url.tls == nil)
        #expect(url.redacted == "sentinel://:***@10.0.0.7:26380/2")
        #expect(!url.redacted.contains("s3cret"))
    }

    @Test func severalSentinelsInOrderWithTheDefaultPort() throws {
        let url = try BrokerURL(parsing: "sentinel://u:pw@s1:26379/3;sentinel://s2;sentinel://[::1]:26381")
        #expect(url.sentinel?.nodes == [
            SentinelSettings.Node(host: "s1", port: 26_379), SentinelSettings.Node(host: "s2", port: 26_379),
            SentinelSettings.Node(host: "::1", port: 26_381),
        ])
        #expect(url.username == "u" && url.password == "pw" && url.db == 3)
        #expect(url.redacted == "sentinel://u:***@s1:26379/3;sentinel://s2:26379;sentinel://[::1]:26381")
    }

    /// kombu reads the credentials and the database from the first URL only (checked against kombu 5.x:
    /// `Connection('sentinel://:pw@h1:26379;sentinel://h2:26380/3').virtual_host` is '/', i.e. db 0).
    @Test func laterURLsGiveOnlyTheirHostAndPort() throws {
        let url = try BrokerURL(parsing: "sentinel://:pw@h1:26379;sentinel://:other@h2:26380/3?ssl_cert_reqs=none")
        #expect(url.db == 0 && url.password == "pw" && url.tls == nil)
        #expect(url.sentinel?.nodes.map(\.description) == ["h1:26379", "h2:26380"])
    }

    @Test func sslParametersOnTheFirstURLMeanTLSToTheMaster() throws {
        let url = try BrokerURL(parsing: "sentinel://h1:26379/0?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fca.pem;sentinel://h2")
        #expect(url.tls == TLSSettings(certificateRequirement: .required, caCertificatesFile: "/etc/ca.pem"))
        #expect(url.sentinel?.tls == nil)
    }

    @Test func malformedSentinelURLsAreRefusedWithoutThePassword() {
        #expect(throws: BrokerURL.ParseError.self) { try BrokerURL(parsing: "sentinel://:pw@h1:70000") }
        do {
            _ = try BrokerURL(parsing: "sentinel://:topsecret@h1:26379;redis://h2:6379")
            Issue.record("a redis:// part after ';' was accepted")
        } catch {
            #expect(!"\(error)".contains("topsecret"))
            #expect("\(error)".contains("sentinel://host:port"))
        }
    }

    @Test func aMasterNameIsRequiredAndApplied() throws {
        let url = try BrokerURL(parsing: "sentinel://h1:26379;sentinel://h2:26379/0")
        #expect(throws: BrokerURL.SentinelOptionError.self) {
            try url.applyingSentinelOptions(masterName: nil, password: nil, sentinelTLS: false, environment: [:])
        }
        do {
            _ = try url.applyingSentinelOptions(masterName: "", password: nil, sentinelTLS: false, environment: [:])
        } catch {
            #expect(error.description.contains("--master-name"))
        }
        let applied = try url.applyingSentinelOptions(masterName: "mymaster", password: nil, sentinelTLS: false, environment: [:])
        #expect(applied.sentinel?.masterName == "mymaster")
        #expect(applied.redacted.hasSuffix(" master mymaster"))
    }

    @Test func theSentinelPasswordComesFromTheOptionElseTheEnvironment() throws {
        let url = try BrokerURL(parsing: "sentinel://:masterpw@h1")
        let environment = [SentinelSettings.passwordEnvironmentVariable: "fromenv"]
        let fromEnvironment = try url.applyingSentinelOptions(masterName: "m", password: nil, sentinelTLS: false, environment: environment)
        #expect(fromEnvironment.sentinel?.password == "fromenv" && fromEnvironment.password == "masterpw")
        let fromOption = try url.applyingSentinelOptions(masterName: "m", password: "given", sentinelTLS: true, environment: environment)
        #expect(fromOption.sentinel?.password == "given")
        #expect(fromOption.sentinel?.tls == TLSSettings())
        #expect(!fromOption.redacted.contains("given") && !fromOption.redacted.contains("masterpw"))
    }

    /// redis-py gives the sentinels only `sentinel_kwargs`: their own CA and client certificate, not the master's.
    @Test func theSentinelsOwnTLSSettingsWinOverTheMasters() throws {
        let url = try BrokerURL(parsing: "sentinel://h1/0?ssl_cert_reqs=required&ssl_ca_certs=%2Fmaster-ca.pem")
        let own = TLSSettings(caCertificatesFile: "/sentinel-ca.pem", certificateFile: "/c.pem", keyFile: "/c.key")
        let applied = try url.applyingSentinelOptions(
            masterName: "m", password: nil, sentinelTLS: false, sentinelTLSSettings: own, environment: [:])
        #expect(applied.sentinel?.tls == own)
        #expect(applied.tls?.caCertificatesFile == "/master-ca.pem")
        let plain = try BrokerURL(parsing: "redis://h/0")
        do {
            _ = try plain.applyingSentinelOptions(masterName: nil, password: nil, sentinelTLS: false, sentinelTLSSettings: own, environment: [:])
            Issue.record("sentinel TLS settings were accepted for a redis:// URL")
        } catch {
            #expect(error.description.contains("--sentinel-ssl-*"))
        }
    }

    @Test func sentinelOptionsOnAnotherURLAreRefused() throws {
        let url = try BrokerURL(parsing: "redis://localhost/0")
        #expect(try url.applyingSentinelOptions(masterName: nil, password: nil, sentinelTLS: false, environment: [:]) == url)
        #expect(throws: BrokerURL.SentinelOptionError.self) {
            try url.applyingSentinelOptions(masterName: "m", password: nil, sentinelTLS: false, environment: [:])
        }
    }

    @Test func switchMasterMessages() {
        let change = MasterSwitch(message: "mymaster 127.0.0.1 6379 10.0.0.2 6380")
        #expect(change == MasterSwitch(
            masterName: "mymaster", old: SentinelSettings.Node(host: "127.0.0.1", port: 6379),
            new: SentinelSettings.Node(host: "10.0.0.2", port: 6380)))
        #expect(MasterSwitch(message: "mymaster 127.0.0.1 6379 10.0.0.2") == nil)
        #expect(MasterSwitch(message: "mymaster 127.0.0.1 6379 10.0.0.2 0") == nil)
        #expect(MasterSwitch(message: "mymaster 127.0.0.1 x 10.0.0.2 6380") == nil)
        #expect(MasterSwitch(message: "") == nil)
    }

    /// A direct URL passes the resolver unchanged, and a sentinel URL without a master name is refused
    /// before any sentinel is asked.
    @Test func theResolverPassesDirectURLsAndNeedsAMasterName() throws {
        let direct = try BrokerURL(parsing: "redis://localhost:6379/1")
        #expect(try SentinelResolver().currentAddress(of: direct, timeouts: .default) == direct)
        let unnamed = try BrokerURL(parsing: "sentinel://127.0.0.1:1")
        #expect(throws: RedisError.self) { try SentinelResolver().currentAddress(of: unnamed, timeouts: .default) }
    }
}
