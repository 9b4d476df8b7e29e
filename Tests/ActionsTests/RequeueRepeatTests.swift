@testable import Actions
import Testing
import TestSupport
@testable import Monitor

/// Repair once: a task already requeued is planned but marked, and skipped unless forced.
@Suite struct RequeueRepeatTests {
    static let exact = ExactArguments(args: "[1]", kwargs: "{}", source: .resultBackend, name: "demo.add", queue: "celery")
    static let evidence: [String: ArgumentEvidence] = [
        "a": ArgumentEvidence(findings: [.resultBackend: .found(exact)]),
        "b": ArgumentEvidence(findings: [.resultBackend: .found(exact)]),
        "c": ArgumentEvidence(findings: [.resultBackend: .found(exact)]),
    ]

    @Test func aCopyLinkedInThisRunMarksThePlanAndSkippingDropsIt() {
        let subjects = [
            RequeueSubject(id: "a", requeuedAs: "a-copy"), RequeueSubject(id: "b"), RequeueSubject(id: "z", requeuedAs: "z-copy"),
        ]
        let preview = RequeuePlanner.plan(subjects: subjects, evidence: Self.evidence)
        #expect(preview.plans.map(\.originalID) == ["a", "b"])
        #expect(preview.refusals.map(\.id) == ["z"])
        // A refused task is not a repeat worth mentioning: it could not be sent anyway.
        #expect(preview.alreadyRequeued == ["a": "a-copy"])
        #expect(preview.repeats.map(\.originalID) == ["a"])
        let skipped = preview.skippingAlreadyRequeued()
        #expect(skipped.plans.map(\.originalID) == ["b"])
        #expect(skipped.alreadyRequeued == ["a": "a-copy"])
        #expect(skipped.total == 2)
    }

    @Test func copiesFromTheAuditLogAreNotedOnlyForPlannedIds() {
        var preview = RequeuePlanner.plan(subjects: [RequeueSubject(id: "a"), RequeueSubject(id: "b", requeuedAs: "b-live")], evidence: Self.evidence)
        preview.noteAlreadyRequeued(["a": "a-logged", "b": "b-logged", "q": "q-logged"])
        #expect(preview.alreadyRequeued == ["a": "a-logged", "b": "b-live"])
        #expect(preview.skippingAlreadyRequeued().plans.isEmpty)
    }

    @Test func aRecordLinkedToACopyGivesASubjectThatKnowsIt() {
        var state = MonitorState()
        var events = EventBuilder()
        state.apply([events.received("a", name: "demo.add")])
        #expect(RequeueSubject(record: state.tasks["a"]!).requeuedAs == nil)
        state.linkRequeue(original: "a", copy: "a-copy", name: "demo.add", at: 5)
        #expect(RequeueSubject(record: state.tasks["a"]!).requeuedAs == "a-copy")
    }
}
