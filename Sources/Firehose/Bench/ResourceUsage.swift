#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// CPU time and memory of this process, read from getrusage, /proc and the allocator.
public enum ResourceUsage {
    /// User + system CPU seconds of the whole process so far.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Resident set size now, bytes (VmRSS).
    public static func residentBytes() -> Int { statusField("VmRSS") }

    /// Peak resident set size since start or the last `resetPeak()`, bytes (VmHWM).
    public static func peakResidentBytes() -> Int { statusField("VmHWM") }

    /// Resets the peak RSS (Linux: writing 5 to /proc/self/clear_refs); false if not possible.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// Returns freed heap memory to the system (glibc `malloc_trim`), so RSS reflects what is in use.
    public static func trimHeap() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    static func statusField(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return (Int(String(digits)) ?? 0) * 1_024
        }
        return 0
    }
}
