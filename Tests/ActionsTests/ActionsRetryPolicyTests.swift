@testable import Actions
import Testing
@testable import Monitor

/// `RegisteredTaskInfo` and `RetryPolicy` on the reply a live Celery 5.7 worker gave to
/// `inspect registered` with retrytop's `taskinfoitems` (demo/demo_tasks.py).
@Suite struct ActionsRetryPolicyTests {
    static let reply: [String: [String]] = ["probe@vm": [
        "demo.add [max_retries=3 default_retry_delay=180]",
        "demo.echo [max_retries=3 default_retry_delay=180]",
        "demo.fetch_api_data [max_retries=5 default_retry_delay=180 retry_backoff=True retry_backoff_max=60 retry_jitter=True autoretry_for=(<class 'demo_tasks.ApiConnectionError'>, <class 'demo_tasks.ApiTimeoutError'>, <class 'demo_tasks.ApiHTTPError'>)]",
        "demo.manual_retry [max_retries=10 default_retry_delay=180]",
        "demo.quick_retry [max_retries=3 default_retry_delay=1 retry_backoff=False autoretry_for=(<class 'demo_tasks.FlakyError'>,)]",
        "demo.slow_fixed_retry [max_retries=4 default_retry_delay=20 retry_backoff=False autoretry_for=(<class 'demo_tasks.FlakyError'>,)]",
        "demo.unreliable [max_retries=5 default_retry_delay=180 retry_backoff=True retry_backoff_max=30 retry_jitter=True autoretry_for=(<class 'demo_tasks.FlakyError'>,)]",
    ]]

    @Test func parsesTheLiveReply() throws {
        let policies = RegisteredTaskInfo.policies(replies: Self.reply)
        #expect(policies.count == 7)
        let api = try #require(policies["demo.fetch_api_data"])
        #expect(api == RetryPolicy(
            maxRetries: 5, defaultRetryDelay: 180, retryBackoff: 1, retryBackoffMax: 60, retryJitter: true,
            autoretryFor: ["demo_tasks.ApiConnectionError", "demo_tasks.ApiTimeoutError", "demo_tasks.ApiHTTPError"]))
        let slow = try #require(policies["demo.slow_fixed_retry"])
        #expect(slow.maxRetries == 4 && slow.defaultRetryDelay == 20 && slow.retryBackoff == 0)
        #expect(slow.autoretryFor == ["demo_tasks.FlakyError"])
        #expect(slow.countdownCeiling(retries: 2) == 20)
        #expect(policies["demo.add"] == RetryPolicy(maxRetries: 3, defaultRetryDelay: 180))
    }

    @Test func attemptsAndLastAttempt() throws {
        let policy = try #require(RegisteredTaskInfo.policies(replies: Self.reply)["demo.unreliable"])
        #expect(policy.attemptLabel(retries: 2) == "attempt 3/6")
        #expect(!policy.isLastAttempt(retries: 4) && policy.isLastAttempt(retries: 5))
        #expect(policy.countdownCeiling(retries: 0) == 1 && policy.countdownCeiling(retries: 3) == 8 && policy.countdownCeiling(retries: 9) == 30)
        #expect(policy.summary == "max_retries=5 backoff=1s×2^n≤30s jitter autoretry_for=FlakyError")
        let unlimited = RetryPolicy()
        #expect(unlimited.attemptLabel(retries: 0) == "attempt 1/∞" && !unlimited.isLastAttempt(retries: 1000))
    }

    @Test func oddLines() throws {
        #expect(RegisteredTaskInfo.parse(line: "") == nil)
        let bare = try #require(RegisteredTaskInfo.parse(line: "app.plain"))
        #expect(bare.name == "app.plain" && bare.policy == RetryPolicy())
        let factor = try #require(RegisteredTaskInfo.parse(line: "app.f [retry_backoff=3 retry_jitter=False rate_limit=10/m max_retries=None]"))
        #expect(factor.policy.retryBackoff == 3 && !factor.policy.retryJitter && factor.policy.rateLimit == "10/m" && factor.policy.maxRetries == nil)
    }

    @Test func firstNodeWinsWhenWorkersDisagree() {
        let policies = RegisteredTaskInfo.policies(replies: ["b@h": ["t [max_retries=9]"], "a@h": ["t [max_retries=1]"]])
        #expect(policies["t"]?.maxRetries == 1)
    }
}
