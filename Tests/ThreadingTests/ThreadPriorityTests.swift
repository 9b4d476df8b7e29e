import Foundation
import Testing
import Threading

/// Decode yields to the reader: its thread, and only its thread, runs at `ThreadPriority.background`.
@Suite struct ThreadPriorityTests {
    @Test func loweringAffectsOnlyTheCallingThread() {
        let before = ThreadPriority.current
        let seen = StoppableThreadTests.Shared<(Bool, Int32, String)?>(nil)
        let thread = Thread {
            ThreadName.set("test.nice")
            let lowered = ThreadPriority.lowerCallingThread()
            // The kernel's own record: field 19 of /proc/thread-self/stat is the nice value.
            let stat = (try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)) ?? ""
            let fields = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
            seen.withLock { $0 = (lowered, ThreadPriority.current, fields.count > 16 ? String(fields[16]) : "") }
        }
        thread.start()
        var result: (Bool, Int32, String)?
        for _ in 0..<500 where result == nil {
            usleep(10_000)
            result = seen.withLock { $0 }
        }
        #expect(result?.0 == true)
        #expect(result?.1 == ThreadPriority.background)
        #expect(result?.2 == String(ThreadPriority.background))
        #expect(ThreadPriority.current == before)
    }
}
