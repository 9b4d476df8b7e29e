/// One attempt in a scripted fixture task: what it raised (or not), how long it ran, what came next.
public enum StormStep: Sendable {
    /// Raised `exception` after `runtime` seconds; the next attempt is due `backoff` seconds later.
    case retry(exception: String, runtime: Double, backoff: Double)
    case succeed(runtime: Double)
    /// Raised `exception` and gave up (retries exhausted or not retryable).
    case fail(exception: String, runtime: Double)
}
