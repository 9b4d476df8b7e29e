import CSQLite
import Foundation

/// One SQLite connection through the C API: open, run SQL, prepare statements. Used by one thread at a time.
///
/// Why own: the journal needs a dozen calls (open, exec, prepare, bind, step, column) and nothing of
/// an ORM; every error is one line naming the path and SQLite's message (`JournalError`).
final class SQLiteDatabase {
    let path: String
    private(set) var handle: OpaquePointer?

    /// Opens `path`; `readOnly` never creates or writes the database.
    init(path: String, readOnly: Bool) throws(JournalError) {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = db
        guard code == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(code)"
            sqlite3_close_v2(db)
            handle = nil
            throw JournalError(path: path, message: message)
        }
        sqlite3_busy_timeout(db, 2_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }

    func error(_ context: String) -> JournalError {
        JournalError(path: path, message: "\(context): \(lastError)")
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(JournalError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw JournalError(path: path, message: text)
        }
    }

    func prepare(_ sql: String) throws(JournalError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement else { throw error("prepare") }
        return SQLiteStatement(statement, database: self)
    }

    /// The first column of the first row of `sql` as a number (nil when no row or NULL).
    func scalar(_ sql: String) throws(JournalError) -> Double? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.double(0)
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }
}

/// A prepared statement: bind by 1-based index, step, read columns by 0-based index; reset for reuse.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase
    private static let transient = retrytop_sqlite_transient()

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit {
        sqlite3_finalize(statement)
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value, value.isFinite { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(statement, index, Int64(value)) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { sqlite3_bind_text(statement, index, value, -1, SQLiteStatement.transient) } else { sqlite3_bind_null(statement, index) }
    }

    /// Steps once: true when a row is ready, false when done.
    func step() throws(JournalError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = database.error("step")
            sqlite3_reset(statement)
            throw failure
        }
    }

    /// Steps to the end (a statement that returns no rows), then resets for the next use.
    func run() throws(JournalError) {
        defer { reset() }
        while try step() {}
    }

    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(statement, column) }

    func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(sqlite3_column_int64(statement, column)) }

    /// The column's text as bytes (empty for NULL), valid until the next `step` or `reset`: to compare
    /// or pack without making a String.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(statement, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column)))
    }

    /// `string(column)`, but `previous` itself when the text is the same (no new String), and the text
    /// kept in `previous` for the next row otherwise: for columns that repeat from row to row.
    func string(_ column: Int32, reusing previous: inout String?) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        if var last = previous, last.withUTF8({ $0.count == count && (count == 0 || memcmp($0.baseAddress!, text, count) == 0) }) {
            return last
        }
        let made = String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        previous = made
        return made
    }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}

/// A journal failure as one line: the path and what went wrong (SQLite's message or `strerror`).
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "journal \(path): \(message)" }
}
