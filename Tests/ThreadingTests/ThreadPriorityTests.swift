import Foundation
import Testing
import Threading

/// A thread's own priority: lowered on the thread itself, never its starter's or its siblings'.
@Suite struct ThreadPriorityTests {
    /// The nice value the kernel shows for thread `tid` of this process (field 19 of its stat line).
    static func kernelNiceness(ofThread tid: Int32) -> Int? {
        guard let line = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
              let close = line.lastIndex(of: ")") else { return nil }
        // After the command's closing parenthesis: state is field 3, nice field 19.
        let fields = line[line.index(after: close)...].split(separator: " ")
        return fields.count > 16 ? Int(fields[16]) : nil
    }

    /// The calling thread's id: the first field of /proc/thread-self/stat.
    static func callingThreadID() -> Int32? {
        guard let line = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8) else { return nil }
        return line.split(separator: " ").first.flatMap { Int32($0) }
    }

    @Test(.timeLimit(.minutes(1))) func aStartedThreadRunsLowerThanItsStarter() {
        let starterBefore = ThreadPriority.niceness
        let thread = StoppableThread(name: "test.nice")
        let seen = StoppableThreadTests.Shared<(inside: Int, kernel: Int?)?>(nil)
        thread.start(lowerPriorityBy: 3) { _ in
            let tid = Self.callingThreadID()
            seen.withLock { $0 = (ThreadPriority.niceness, tid.flatMap(Self.kernelNiceness(ofThread:))) }
        }
        thread.join()
        let inside = seen.withLock { $0 }
        #expect(inside?.inside == min(19, starterBefore + 3))
        #expect(inside?.kernel == min(19, starterBefore + 3), "the kernel's record of that thread")
        #expect(ThreadPriority.niceness == starterBefore, "the starter keeps its own priority")
    }

    @Test(.timeLimit(.minutes(1))) func priorityStopsAtTheLowest() {
        let thread = StoppableThread(name: "test.nice19")
        let seen = StoppableThreadTests.Shared<[Int]>([])
        thread.start(lowerPriorityBy: 15) { _ in
            let first = ThreadPriority.niceness
            let second = ThreadPriority.lowerCallingThread(by: 15)
            seen.withLock { $0 = [first, second] }
        }
        thread.join()
        let values = seen.withLock { $0 }
        #expect(values.count == 2)
        #expect(values.last == 19, "never past 19: \(values)")
        #expect(values.first.map { $0 >= 15 } == true, "lowered by 15 at start: \(values)")
    }

    @Test func nothingChangesForNoSteps() {
        let before = ThreadPriority.niceness
        #expect(ThreadPriority.lowerCallingThread(by: 0) == before)
        #expect(ThreadPriority.lowerCallingThread(by: -3) == before)
        #expect(ThreadPriority.niceness == before)
    }
}
