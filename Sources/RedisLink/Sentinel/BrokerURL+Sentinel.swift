extension BrokerURL {
    /// Why sentinel options were refused; the text says what to give instead.
    public struct SentinelOptionError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// This URL with kombu's sentinel transport options applied: `masterName` (`master_name`, required for
    /// `sentinel://`), the sentinels' password (`sentinel_kwargs`: `password`, else
    /// `$RETRYTOP_SENTINEL_PASSWORD` from `environment`) and TLS to the sentinels: `sentinelTLSSettings`
    /// when given (`sentinel_kwargs`' own `ssl_ca_certs`, `ssl_certfile`, `ssl_keyfile`), else with
    /// `sentinelTLS` the master's TLS settings, or verification against the system store when the master has none.
    /// Options given for a URL that is not `sentinel://` are refused, so a typo cannot pass silently.
    public func applyingSentinelOptions(
        masterName: String?, password: String?, sentinelTLS: Bool, sentinelTLSSettings: TLSSettings? = nil,
        environment: [String: String]
    ) throws(SentinelOptionError) -> BrokerURL {
        guard var settings = sentinel else {
            let given = [
                ("--master-name", masterName != nil), ("--sentinel-password", password != nil), ("--sentinel-ssl", sentinelTLS),
                ("--sentinel-ssl-*", sentinelTLSSettings != nil),
            ].filter(\.1).map(\.0)
            if given.isEmpty { return self }
            throw SentinelOptionError(description: "\(given.joined(separator: ", ")) need a sentinel:// broker URL; \(redacted) is not one")
        }
        guard let masterName, !masterName.isEmpty else {
            throw SentinelOptionError(description: "a sentinel:// broker URL needs --master-name NAME (kombu's master_name transport option, "
                + "as in broker_transport_options={'master_name': 'mymaster'})")
        }
        settings.masterName = masterName
        if let password, !password.isEmpty {
            settings.password = password
        } else if let fromEnvironment = environment[SentinelSettings.passwordEnvironmentVariable], !fromEnvironment.isEmpty {
            settings.password = fromEnvironment
        }
        if let sentinelTLSSettings {
            settings.tls = sentinelTLSSettings
        } else if sentinelTLS {
            settings.tls = tls ?? TLSSettings()
        }
        var url = self
        url.sentinel = settings
        return url
    }
}
