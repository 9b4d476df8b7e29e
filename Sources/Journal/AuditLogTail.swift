import Foundation
import Monitor

/// Reads the audit log's new lines so every action (from any retrytop process) lands in the journal.
///
/// Why tail the file rather than tee the dashboard's records: `retrytop revoke`, `requeue` and other
/// dashboards write the same log, and the journal should hold all of it. The position (inode and byte
/// offset) is stored in the journal with the rows, in one transaction, so a line is journaled once.
/// A log that shrank or was replaced is read again from its start. Bound: at most `maxBytesPerRead`
/// per call; a line longer than that is skipped and counted.
public struct AuditLogTail: Sendable {
    static let positionKey = "audit_log_position"
    static let maxBytesPerRead = 1 << 20

    /// New complete lines and the position after them (`<inode>:<offset>`).
    public struct Chunk: Sendable, Equatable {
        public var lines: [AuditLine]
        public var position: String
    }

    public let path: String
    public private(set) var skipped = 0

    public init(path: String) {
        self.path = path
    }

    /// The lines after `position` (nil when the file does not exist or nothing is new).
    public mutating func read(after position: String?) -> Chunk? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let inode = UInt64(status.st_ino)
        let size = Int(status.st_size)
        var offset = 0
        if let position, let colon = position.firstIndex(of: ":"),
           UInt64(position[..<colon]) == inode, let stored = Int(position[position.index(after: colon)...]), stored <= size {
            offset = stored
        }
        guard size > offset, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
        } catch {
            return nil
        }
        let bytes = [UInt8](handle.readData(ofLength: min(size - offset, AuditLogTail.maxBytesPerRead)))
        guard let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) else {
            if bytes.count == AuditLogTail.maxBytesPerRead {
                skipped += 1
                return Chunk(lines: [], position: "\(inode):\(offset + bytes.count)")
            }
            return nil
        }
        var lines: [AuditLine] = []
        for raw in bytes[...lastNewline].split(separator: UInt8(ascii: "\n")) where !raw.isEmpty {
            if let line = AuditLine(json: Array(raw)) { lines.append(line) } else { skipped += 1 }
        }
        return Chunk(lines: lines, position: "\(inode):\(offset + lastNewline + 1)")
    }
}

/// One audit log record as the journal's `actions` table keeps it: the parsed columns and the line.
public struct AuditLine: Sendable, Equatable {
    public var at: Double
    public var record: String?
    public var phase: String?
    public var action: String?
    public var user: String?
    /// The task ids, comma-separated.
    public var taskIDs: String?
    public var text: String

    init?(json bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let time = object["time"] as? String, let at = ISO8601.epoch(time) else { return nil }
        self.at = at
        record = object["record"] as? String
        phase = object["phase"] as? String
        action = object["action"] as? String
        user = object["user"] as? String
        taskIDs = (object["task_ids"] as? [String])?.joined(separator: ",")
        text = String(decoding: bytes, as: UTF8.self)
    }
}
