/// The journal's tables (documented in the README, "Journal"): one place that creates and versions them.
///
/// Times are epoch seconds (REAL); text is Celery's (exception reprs, tracebacks, JSON arguments).
/// `auto_vacuum = INCREMENTAL` is set first (before WAL and the first table) so the size bound can give pages back.
enum JournalSchema {
    static let version = 2

    static let pragmas = """
        PRAGMA auto_vacuum = INCREMENTAL;
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA foreign_keys = OFF;
        PRAGMA journal_size_limit = 67108864;
        """

    /// Attempts: a rowid table (rows of about a kilobyte, appended in the order they are first written, stay
    /// on their page: in a table clustered by random task ids they split pages half full and spilled into
    /// overflow pages, 2.7 times the data), found by the unique (task_id, number) index; a traceback is its
    /// shared frames (`traceback_frames`, by id) and its own tail, last.
    static let attemptsTable = """
        CREATE TABLE IF NOT EXISTS attempts (
            task_id TEXT NOT NULL, number INTEGER NOT NULL, worker TEXT, received REAL, started REAL, ended REAL,
            runtime REAL, outcome TEXT, exception TEXT, eta REAL, retry_at REAL, backoff_wait REAL,
            sent REAL, beginning_unseen INTEGER NOT NULL DEFAULT 0, traceback_frames INTEGER, traceback_tail TEXT);
        CREATE UNIQUE INDEX IF NOT EXISTS attempts_by_task ON attempts (task_id, number)
        """

    static let create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tasks (
            id TEXT PRIMARY KEY, name TEXT, state TEXT NOT NULL, retries INTEGER NOT NULL DEFAULT 0,
            args TEXT, kwargs TEXT, queue TEXT, worker TEXT, first_seen REAL NOT NULL, last_update REAL NOT NULL,
            eta REAL, revoked_at REAL, revoke_terminated INTEGER NOT NULL DEFAULT 0,
            requeued_as TEXT, requeue_of TEXT, written_at REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS tasks_by_last_update ON tasks (last_update);
        CREATE INDEX IF NOT EXISTS tasks_by_written_at ON tasks (written_at);
        \(attemptsTable);
        CREATE TABLE IF NOT EXISTS traceback_frames (id INTEGER PRIMARY KEY, digest INTEGER NOT NULL, text TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS traceback_frames_by_digest ON traceback_frames (digest);
        CREATE VIEW IF NOT EXISTS attempt_history AS
            SELECT a.task_id, a.number, a.worker, a.received, a.started, a.ended, a.runtime, a.outcome, a.exception,
                CASE WHEN a.traceback_tail IS NULL THEN NULL ELSE coalesce(f.text, '') || a.traceback_tail END AS traceback,
                a.eta, a.retry_at, a.backoff_wait, a.sent, a.beginning_unseen
            FROM attempts a LEFT JOIN traceback_frames f ON f.id = a.traceback_frames;
        CREATE TABLE IF NOT EXISTS exception_groups (
            fingerprint TEXT PRIMARY KEY, type TEXT, sample TEXT, retries INTEGER NOT NULL, failures INTEGER NOT NULL,
            names TEXT, first_seen REAL NOT NULL, last_seen REAL NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS rates (
            name TEXT NOT NULL, minute INTEGER NOT NULL, received INTEGER NOT NULL DEFAULT 0,
            succeeded INTEGER NOT NULL DEFAULT 0, retried INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (name, minute)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS rates_by_minute ON rates (minute);
        CREATE TABLE IF NOT EXISTS worker_periods (
            hostname TEXT NOT NULL, online_from REAL NOT NULL, last_seen REAL NOT NULL, offline_at REAL,
            PRIMARY KEY (hostname, online_from)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS actions (
            at REAL NOT NULL, record TEXT, phase TEXT, action TEXT, user TEXT, task_ids TEXT, line TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS actions_by_at ON actions (at);
        CREATE TABLE IF NOT EXISTS gaps (
            from_time REAL NOT NULL, to_time REAL, reason TEXT NOT NULL, PRIMARY KEY (from_time, reason)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sessions (
            id INTEGER PRIMARY KEY, pid INTEGER, started REAL NOT NULL, alive REAL NOT NULL, ended REAL);
        """

    /// Version 1 kept each attempt's whole traceback in `attempts.traceback`, between small columns (so
    /// reading a history read the tracebacks' overflow pages too): its rows move to version 2's table,
    /// the text kept whole as the tail.
    static let migrationFromVersion1 = """
        ALTER TABLE attempts RENAME TO attempts_v1;
        \(attemptsTable);
        INSERT INTO attempts (task_id, number, worker, received, started, ended, runtime, outcome, exception, eta, retry_at,
                backoff_wait, sent, beginning_unseen, traceback_frames, traceback_tail)
            SELECT task_id, number, worker, received, started, ended, runtime, outcome, exception, eta, retry_at,
                backoff_wait, sent, beginning_unseen, NULL, traceback FROM attempts_v1;
        DROP TABLE attempts_v1;
        UPDATE meta SET value = '\(version)' WHERE key = 'schema_version';
        """

    /// Opens (creating when new) a journal for writing: WAL, the tables, the version checked; a version 1
    /// journal is migrated in one transaction first.
    static func prepare(_ database: SQLiteDatabase) throws(JournalError) {
        try database.execute(pragmas)
        try database.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        if try database.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == 1 {
            try database.execute("BEGIN IMMEDIATE")
            do {
                try database.execute(migrationFromVersion1)
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        }
        try database.execute(create)
        let stored = try database.scalar("SELECT value FROM meta WHERE key = 'schema_version'")
        if let stored, Int(stored) != version {
            throw JournalError(path: database.path, message: "schema version \(Int(stored)) is not \(version) (written by another retrytop)")
        }
        try database.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '\(version)')")
    }
}
