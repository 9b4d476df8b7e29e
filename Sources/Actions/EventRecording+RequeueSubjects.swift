import Monitor

extension EventRecording {
    /// Requeue subjects by task id for the tasks the recording saw: name, queue and argument reprs.
    public func requeueSubjects(limits: MonitorLimits) -> [String: RequeueSubject] {
        let state = folded(limits: limits)
        var subjects: [String: RequeueSubject] = [:]
        for event in events {
            guard let id = event.taskID, subjects[id] == nil, let record = state.tasks[id] else { continue }
            subjects[id] = RequeueSubject(record: record)
        }
        return subjects
    }
}
