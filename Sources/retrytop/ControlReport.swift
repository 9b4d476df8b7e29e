import CeleryLink
import Foundation
import Monitor

/// The JSON a throttling command prints: the workers' answers, the silent ones, and the read-back.
enum ControlReport {
    static func json(_ outcome: ControlOutcome, fields: [(String, String)], readBack: (inout JSONWriter) -> Void, auditLog: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.string("method", outcome.method)
        for (key, value) in fields { json.string(key, value) }
        json.beginObject("ok")
        for node in outcome.ok.keys.sorted() { json.string(node, outcome.ok[node]) }
        json.endObject()
        json.beginObject("errors")
        for node in outcome.errors.keys.sorted() { json.string(node, outcome.errors[node]) }
        json.endObject()
        json.beginArray("missing")
        for node in outcome.missing { json.string(nil, node) }
        json.endArray()
        readBack(&json)
        json.string("audit_log", auditLog)
        json.endObject()
        return json.output
    }

    /// Fails the command unless every worker applied the change (errors and silent workers say so).
    static func check(_ outcome: ControlOutcome, control: WorkerControl) throws {
        for problem in control.auditLogErrors { FileHandle.standardError.write(Data("retrytop: \(problem)\n".utf8)) }
        guard outcome.succeeded else { throw RevokeCommand.fail("\(outcome.method): \(outcome.summary)") }
    }
}
