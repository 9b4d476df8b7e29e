/// Everything a key can ask for. `update` interprets commands; the key table maps keys to them.
public enum Command: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, top, bottom, pageUp, pageDown
    case nextPane, previousPane
    case open, back
    case filter, goToID, exceptions
    case sortNext, sortReverse
    case mark, markAllMatching, clearMarks
    case freeze, help, quit
    case toggleTraceback
    case revoke, terminate, requeue, revokeRetryingOfName, requeueFailedOfGroup
    case rateLimitName, toggleConsumer, undoWorkerChange, dismissReport
    case togglePauseRequeue, abortRequeue
    case refreshPolicies
    case filterWorker, inspectWorker, listStorms, toggleRatesRange
    case replayPause, replayStep, replaySeekForward, replaySeekBack
    case confirm, cancel, forceRequeue, terminateRunning
    case acceptInput, cancelInput, deleteBackward
}
