import Foundation

/// Names the calling thread as /proc, `top -H` and `bench`'s per-thread split show it.
///
/// Why: `Thread.name`, set from the starting thread and again from the thread itself, sometimes left a
/// thread with the process' name (`retrytop`) in /proc: `bench --only lowrate` then counted the reader's
/// or the decode thread's CPU with the main loop (snapshot's "main 13.7 µs/event" of issue 17 was the
/// reader). The kernel's own record is `/proc/thread-self/comm`, written here by the thread itself.
/// Bound: the kernel keeps at most `maxBytes` bytes of a name; longer names are cut.
public enum ThreadName {
    /// Bytes of a thread name the kernel keeps (TASK_COMM_LEN less its terminating zero).
    public static let maxBytes = 15

    /// Names the calling thread `name` (Foundation's `Thread.name` and the kernel's comm).
    public static func set(_ name: String) {
        Thread.current.name = name
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(maxBytes))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The calling thread's name as the kernel has it ("" when it cannot be read).
    public static var current: String {
        let text = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
