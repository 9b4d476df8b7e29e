import RedisLink
import Testing

/// The one line and exit status of a headless command that never connected, read from the real
/// `RedisError` descriptions the subscriber records (so a reworded description fails here).
@Suite struct NeverConnectedTests {
    static let url = "redis://:***@127.0.0.1:6399/0"

    static func verdict(_ error: RedisError) -> NeverConnected {
        NeverConnected(reason: String(describing: error), redactedURL: url, waited: 3)
    }

    @Test func refusedConnectIsUnavailable() {
        let verdict = Self.verdict(.connectFailed(endpoint: "127.0.0.1:6399", message: "Connection refused"))
        #expect(verdict.cause == .refused)
        #expect(verdict.exitStatus == 69)
        #expect(verdict.line == "retrytop: never connected to \(Self.url): connection refused (is Redis running there?)")
    }

    @Test func httpAnswerIsNotRedis() {
        let verdict = Self.verdict(.protocolError("Protocol error, got \"<\" as reply type byte"))
        #expect(verdict.cause == .notRedis)
        #expect(verdict.exitStatus == 76)
        #expect(verdict.line == "retrytop: never connected to \(Self.url): this port does not speak Redis (it answered something that is not "
            + "a Redis reply: Protocol error, got \"<\" as reply type byte)")
        #expect(Self.verdict(.unexpectedReply("PING answered HTTP")).cause == .notRedis)
        #expect(Self.verdict(.closed("end of file")).cause == .notRedis)
    }

    /// The dashboard's banner shows the error's description as is: it must name the cause too.
    @Test func aProtocolErrorSaysThePortDoesNotSpeakRedis() {
        let text = String(describing: RedisError.protocolError("Protocol error, got \"<\" as reply type byte"))
        #expect(text.hasPrefix("this port does not speak Redis"), "\(text)")
    }

    @Test func aFailedTLSSetUpIsAConfigurationError() {
        let verdict = Self.verdict(.tlsFailed(
            endpoint: "127.0.0.1:6399",
            message: "certificate verify failed: self-signed certificate in certificate chain (verified against CA file /tmp/ca.pem)"))
        #expect(verdict.cause == .tls)
        #expect(verdict.exitStatus == 78)
        #expect(verdict.line == "retrytop: never connected to \(Self.url): TLS to 127.0.0.1:6399 failed: certificate verify failed: "
            + "self-signed certificate in certificate chain (verified against CA file /tmp/ca.pem)")
    }

    @Test func wrongOrMissingPasswordIsAuthentication() {
        let wrong = Self.verdict(.authenticationFailed(endpoint: Self.url, message: "WRONGPASS invalid username-password pair"))
        #expect(wrong.cause == .authentication)
        #expect(wrong.exitStatus == 77)
        #expect(wrong.line.hasPrefix("retrytop: never connected to \(Self.url): authentication failed: "))
        let missing = Self.verdict(.authenticationRequired(endpoint: Self.url, message: "NOAUTH Authentication required."))
        #expect(missing.cause == .authentication)
        #expect(missing.line.contains("requires a password"))
    }

    @Test func noAttemptFinishedIsUnavailableWithTheWait() {
        let verdict = NeverConnected(reason: nil, redactedURL: Self.url, waited: 2.5)
        #expect(verdict.cause == .unavailable)
        #expect(verdict.exitStatus == 69)
        #expect(verdict.line == "retrytop: never connected to \(Self.url): no answer within 2.5 s")
        let timeout = Self.verdict(.timeout("no PSUBSCRIBE confirmation within 2.0 s"))
        #expect(timeout.cause == .unavailable)
        #expect(timeout.line.hasSuffix("Redis did not answer in time: no PSUBSCRIBE confirmation within 2.0 s"))
    }
}
