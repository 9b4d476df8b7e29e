/// One entry of the view stack: Enter pushes, Esc pops, the overview is always at the bottom.
public enum Screen: Sendable, Hashable {
    case overview
    case exceptions
    /// The tasks of one exception group, by fingerprint.
    case groupTasks(fingerprint: String)
    case taskDetail(taskID: String)
    /// The traceback of one attempt, with its scroll offset in lines.
    case traceback(taskID: String, attempt: Int, offset: Int)
    /// One worker: its pool, tasks, queues and heartbeat history.
    case worker(hostname: String)
}
