import Foundation
import Monitor
import RedisLink

extension AuditLog {
    /// Bytes read from the end of the log when looking for earlier requeues.
    public static let requeueLookbackBytes = 32 << 20

    /// The copies earlier requeues sent of `ids`, as the log recorded them: original id → new id.
    ///
    /// Why: repair once. A requeue from another retrytop run (or the CLI) is only known from this log,
    /// so a second bulk requeue of the same failures must read it. This is the one place that knows the
    /// line shape (`"action":"requeue"` with a `new_ids` object); keep it so when the shape changes.
    /// An `intent` lists every copy planned up front, sent or not, so it does not count; a `send` record
    /// (written just before its message is pushed) and a `result` do: a copy that may have gone out counts
    /// as requeued, and sending it again is the user's explicit choice (`f`, `--force`).
    /// Bound: only the last `requeueLookbackBytes` are read (a partial first line is skipped); lines that
    /// do not parse are ignored (the log is ours, but may be cut by a crash). A missing file is no history.
    public func requeuedCopies(of ids: Set<String>) -> [String: String] {
        guard !ids.isEmpty, let handle = FileHandle(forReadingAtPath: path) else { return [:] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(Self.requeueLookbackBytes) ? size - UInt64(Self.requeueLookbackBytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return [:] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        var copies: [String: String] = [:]
        let marker = Array(#""requeue""#.utf8)
        for line in lines {
            // Cheap filter before parsing: most lines of a long log are revokes or other requeues' ids.
            guard line.firstRange(of: marker) != nil, let entry = try? JSONValue.parse(Array(line)),
                  entry["action"]?.stringValue == "requeue", entry["phase"]?.stringValue != "intent",
                  let newIDs = entry["new_ids"]?.objectValue else { continue }
            for (original, copy) in newIDs where ids.contains(original) {
                if let copy = copy.stringValue { copies[original] = copy }
            }
        }
        return copies
    }
}
