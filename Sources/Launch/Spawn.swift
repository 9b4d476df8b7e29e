import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `posix_spawn` with the file actions and attributes every child needs (see ``ChildProcess``).
///
/// `addchdir_np` and `addclosefrom_np` exist in glibc (2.29 and 2.34) but are not exported to Swift by the
/// Glibc module, so they are looked up at run time.
enum Spawn {
    private typealias AddChdir = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    /// Starts `path` and returns its PID: stdin `/dev/null`, stdout and stderr appended to the given files,
    /// descriptors above 2 closed, default signal dispositions and mask, a new process group.
    static func run(
        path: String, arguments: [String], environment: [String], currentDirectory: String?,
        stdout: String, stderr: String
    ) throws -> Int32 {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        let writeFlags = O_WRONLY | O_CREAT | O_APPEND
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, writeFlags, 0o644)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, writeFlags, 0o644)
        }

        #if canImport(Glibc)
        guard let closefrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self) else {
            throw LaunchError("this libc has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34+ needed)")
        }
        _ = closefrom(&actions, 3)
        let flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #else
        let flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
            | POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        if let currentDirectory {
            guard let chdir = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self) else {
                throw LaunchError("this libc has no posix_spawn_file_actions_addchdir_np")
            }
            _ = currentDirectory.withCString { chdir(&actions, $0) }
        }

        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        // Every signal back to its default disposition: an inherited "ignore" (the test runner ignores
        // SIGPIPE) survives exec and would change how servers and workers behave.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw LaunchError("cannot start \(arguments.joined(separator: " ")): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
