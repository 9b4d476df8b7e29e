import CeleryLink
import RedisLink
import Testing

/// `ControlOutcome`: replies sorted into ok and errors (SPEC §8.2 shapes), silent destinations named.
@Suite struct ControlOutcomeTests {
    @Test func sortsRepliesAndNamesSilentDestinations() throws {
        let replies = try #require(try JSONValue.parse(
            #"{"w1@vm": {"ok": "new rate limit set successfully"}, "w2@vm": {"error": "unknown task"}, "w3@vm": ["odd"]}"#).objectValue)
        let outcome = ControlOutcome(method: "rate_limit", replies: replies, destination: ["w1@vm", "w2@vm", "w3@vm", "w9@vm"])
        #expect(outcome.ok == ["w1@vm": "new rate limit set successfully"])
        #expect(outcome.errors["w2@vm"] == "unknown task")
        #expect(outcome.errors["w3@vm"]?.hasPrefix("unexpected reply: ") == true)
        #expect(outcome.missing == ["w9@vm"])
        #expect(!outcome.succeeded)
        #expect(outcome.summary == "1 ok, 2 errors (w2@vm: unknown task), no reply from w9@vm")
    }

    @Test func allOkIsSuccessAndNoReplyIsNot() throws {
        let replies = try #require(try JSONValue.parse(#"{"w1@vm": {"ok": "no longer consuming from celery"}}"#).objectValue)
        #expect(ControlOutcome(method: "cancel_consumer", replies: replies, destination: nil).succeeded)
        let nobody = ControlOutcome(method: "cancel_consumer", replies: [:], destination: nil)
        #expect(!nobody.succeeded && nobody.summary == "no worker answered")
    }
}
