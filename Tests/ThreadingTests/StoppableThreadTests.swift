import Foundation
import Testing
import Threading

/// The one start/stop/wake/join type the background threads share (issue 14, item 3).
@Suite struct StoppableThreadTests {
    /// A value the test and the thread's body share, under a lock.
    final class Shared<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value

        init(_ value: Value) {
            self.value = value
        }

        func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
            lock.withLock { body(&value) }
        }
    }

    /// Seconds on a steady clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    @Test(.timeLimit(.minutes(1))) func stopEndsALongWaitAtOnceAndJoins() {
        let thread = StoppableThread(name: "test.stop")
        let turns = Shared(0)
        let waitedResult = Shared<Bool?>(nil)
        thread.start { me in
            turns.withLock { $0 += 1 }
            waitedResult.withLock { $0 = me.wait(seconds: 60) }
        }
        usleep(50_000)
        let started = Self.now()
        thread.stop()
        #expect(Self.now() - started < 5, "stop waited for the 60 s wait")
        #expect(thread.isFinished)
        #expect(turns.withLock { $0 } == 1)
        #expect(waitedResult.withLock { $0 } == false, "a wait ended by a stop says so")
    }

    @Test(.timeLimit(.minutes(1))) func wakeEndsAWaitAndIsNotLostWhenGivenEarly() {
        let thread = StoppableThread(name: "test.wake")
        let woken = Shared<[Double]>([])
        let ready = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        thread.start { me in
            // A wake given before this wait (while the body was busy) must end it at once.
            ready.signal()
            proceed.wait()
            for seconds in [60, 60, 0.2] {
                // The third wait has no wake: it lasts its deadline.
                let began = Self.now()
                let running = me.wait(seconds: seconds)
                woken.withLock { $0.append(running ? Self.now() - began : -1) }
            }
        }
        ready.wait()
        thread.wake()
        proceed.signal()
        usleep(200_000)
        thread.wake()
        thread.join()
        let times = woken.withLock { $0 }
        #expect(times.count == 3)
        #expect(times.allSatisfy { $0 >= 0 && $0 < 5 }, "no wait may end as stopped, nor last long: \(times)")
        #expect(times.count == 3 && times[2] >= 0.19, "\(times)")
    }

    @Test func aThreadNeverStartedJoinsAtOnceAndAStoppedOneNeverStarts() {
        let thread = StoppableThread(name: "test.never")
        thread.join()
        thread.stop()
        let ran = Shared(false)
        thread.start { _ in ran.withLock { $0 = true } }
        thread.join()
        #expect(ran.withLock { $0 } == false)
        #expect(!thread.isFinished)
    }

    @Test(.timeLimit(.minutes(1))) func theBodyRunsOnce() {
        let thread = StoppableThread(name: "test.once")
        let runs = Shared(0)
        thread.start { me in
            runs.withLock { $0 += 1 }
            while me.wait(seconds: 1) {}
        }
        thread.start { _ in runs.withLock { $0 += 1 } }
        thread.stop()
        #expect(runs.withLock { $0 } == 1)
    }

    /// The name reaches the kernel's record (what /proc, `top -H` and bench's per-thread split show): a
    /// journal writer named "retrytop.journal" (16 bytes, one past the kernel's 15) was counted with the
    /// main thread by `bench --only lowrate`.
    @Test(.timeLimit(.minutes(1))) func theNameIsTheKernelsRecord() {
        let thread = StoppableThread(name: "rt.test-named")
        let seen = Shared("")
        thread.start { _ in seen.withLock { $0 = ThreadName.current } }
        thread.stop()
        #expect(seen.withLock { $0 } == "rt.test-named")
        for name in ["rt.journal", "rt.journal-read", "rt.sentinel", "retrytop.decode", "rt.subscriber"] {
            #expect(name.utf8.count <= ThreadName.maxBytes, "\(name) is cut by the kernel")
        }
    }
}
