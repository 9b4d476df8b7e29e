@testable import Actions
import Testing
@testable import Monitor

/// `RequeuePlanner`: source order, event-repr fallback, refusals with reasons, de-duplication.
@Suite struct ActionsPlannerTests {
    static let backendArgs = ExactArguments(args: "[1, 2]", kwargs: "{}", source: .resultBackend, name: "demo.add", queue: "celery")
    static let queueArgs = ExactArguments(args: "[3]", kwargs: "{}", source: .queue, name: "demo.add", queue: "other", priority: 6)

    @Test func firstExactSourceWinsInSpecOrder() throws {
        let evidence = ArgumentEvidence(findings: [.queue: .found(Self.queueArgs), .resultBackend: .found(Self.backendArgs)])
        let plan = try RequeuePlanner.decide(subject: RequeueSubject(id: "a"), evidence: evidence).get()
        #expect(plan.source == .resultBackend && plan.args == "[1, 2]" && plan.name == "demo.add" && plan.queue == "celery")
        let queued = try RequeuePlanner.decide(
            subject: RequeueSubject(id: "a"),
            evidence: ArgumentEvidence(findings: [.resultBackend: .absent("no meta"), .queue: .found(Self.queueArgs)])).get()
        #expect(queued.source == .queue && queued.queue == "other" && queued.priority == 6)
    }

    @Test func exactSourceBeatsACompleteRepr() throws {
        let subject = RequeueSubject(id: "a", name: "demo.add", argsRepr: "(9, 9)", kwargsRepr: "{}")
        let plan = try RequeuePlanner.decide(subject: subject, evidence: ArgumentEvidence(findings: [.inspect: .found(ExactArguments(args: "[3]", kwargs: "{}", source: .inspect))])).get()
        #expect(plan.source == .inspect && plan.args == "[3]" && plan.name == "demo.add")
    }

    @Test func completeReprIsTheLastResort() throws {
        let subject = RequeueSubject(id: "a", name: "demo.echo", argsRepr: "(1, 'two', [3.5, None])", kwargsRepr: "{'ok': True}", queue: "q2")
        let evidence = ArgumentEvidence(findings: [.resultBackend: .skipped("no result backend given"), .queue: .absent("not waiting")])
        let plan = try RequeuePlanner.decide(subject: subject, evidence: evidence).get()
        #expect(plan == RequeuePlan(
            originalID: "a", name: "demo.echo", args: #"[1,"two",[3.5,null]]"#, kwargs: #"{"ok":true}"#, source: .eventRepr,
            queue: "q2", argsRepr: "(1, 'two', [3.5, None])", kwargsRepr: "{'ok': True}"))
    }

    @Test func truncatedReprWithoutExactSourceIsRefusedWithTheWayOut() throws {
        let repr = "('" + String(repeating: "a", count: 1024) + "...',)"
        let subject = RequeueSubject(id: "a", name: "demo.echo", argsRepr: repr, kwargsRepr: "{}")
        let evidence = ArgumentEvidence(findings: [
            .resultBackend: .skipped("no result backend given"), .queue: .absent("not waiting in celery"),
            .unacked: .absent("not reserved"), .inspect: .skipped("the task has finished"),
        ])
        guard case .failure(let refusal) = RequeuePlanner.decide(subject: subject, evidence: evidence) else {
            Issue.record("a truncated repr was planned")
            return
        }
        #expect(refusal.reason.contains("truncated"))
        #expect(refusal.reason.contains("result_backend: skipped, no result backend given"))
        #expect(refusal.reason.contains("queue: not waiting in celery"))
        #expect(refusal.remedy.contains("result_extended=True") && refusal.remedy.contains("--result-backend"))
        #expect(refusal.remedy.contains("backoff"))
        // With result_extended the same task is planned exactly.
        var extended = evidence
        extended.findings[.resultBackend] = .found(ExactArguments(args: "[\"" + String(repeating: "a", count: 2000) + "\"]", kwargs: "{}", source: .resultBackend))
        #expect(try RequeuePlanner.decide(subject: subject, evidence: extended).get().source == .resultBackend)
    }

    @Test func noNameNoArgumentsAreRefused() {
        let nameless = RequeuePlanner.decide(
            subject: RequeueSubject(id: "a"),
            evidence: ArgumentEvidence(findings: [.inspect: .found(ExactArguments(args: "[]", kwargs: "{}", source: .inspect))]))
        #expect((try? nameless.get()) == nil)
        let nothing = RequeuePlanner.decide(subject: RequeueSubject(id: "b", name: "x"), evidence: ArgumentEvidence())
        guard case .failure(let refusal) = nothing else {
            Issue.record("planned without arguments")
            return
        }
        #expect(refusal.reason.contains("no task-received event"))
    }

    @Test func bulkPlansEachIdOnceAndHonoursTheQueueOverride() {
        let subjects = ["a", "b", "a", "c", "b"].map { RequeueSubject(id: $0, name: "demo.add", argsRepr: "(1, 2)", kwargsRepr: "{}") }
        let evidence = ["c": ArgumentEvidence(findings: [.resultBackend: .found(Self.backendArgs)])]
        let preview = RequeuePlanner.plan(subjects: subjects, evidence: evidence, queueOverride: "retry_q")
        #expect(preview.plans.map(\.originalID) == ["a", "b", "c"])
        #expect(preview.duplicates == ["a", "b"])
        #expect(preview.plans.allSatisfy { $0.queue == "retry_q" })
        #expect(preview.countsBySource == [.eventRepr: 2, .resultBackend: 1])
        #expect(preview.total == 3)
    }

    @Test func subjectFromATaskRecordUsesItsRoutingKey() {
        var record = TaskRecord(id: "t", firstSeen: 1)
        record.name = "demo.echo"
        record.args = "(1,)"
        record.kwargs = "{}"
        record.routingKey = "other"
        record.state = .failure
        let subject = RequeueSubject(record: record)
        #expect(subject == RequeueSubject(id: "t", name: "demo.echo", argsRepr: "(1,)", kwargsRepr: "{}", queue: "other", state: .failure))
    }

    @Test func paceKeepsTheMeanRateAndBoundsJitter() {
        let pace = RequeuePace(rate: 50, jitter: 0.5)
        #expect(abs(pace.interval(unit: 0.5) - 0.02) < 1e-12)
        #expect(abs(pace.interval(unit: 0) - 0.01) < 1e-12)
        #expect(abs(pace.interval(unit: 1) - 0.03) < 1e-12)
        #expect(RequeuePace(rate: 10, jitter: 7).jitter == 1)
        #expect(RequeuePace(rate: -1).rate == RequeuePace.default.rate)
        #expect(RequeuePace.unpaced.interval(unit: 0.3) == 0)
    }

    @Test func revokeRequestNormalisesSignalsAndIds() {
        #expect(RevokeRequest.normalizedSignal("term") == "SIGTERM")
        #expect(RevokeRequest.normalizedSignal("SIGKILL") == "SIGKILL")
        #expect(RevokeRequest.normalizedSignal("9") == "SIGKILL")
        #expect(RevokeRequest.normalizedSignal("SIGBOGUS") == nil)
        #expect(RevokeRequest(ids: ["a", "b", "a"]).ids == ["a", "b"])
        #expect(RevokeRequest(ids: ["a"], terminate: true).action == "terminate")
    }
}
