import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts long-lived processes that outlive the control plane: each in a session of its own
/// (so a Ctrl-C or a SIGKILL of `yard` does not reach the instances), output to a log file.
public enum Spawner {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case spawnFailed(String, Int32)

        public var description: String {
            switch self {
            case .notFound(let name): "executable not found: \(name) (looked beside yard, in $SWITCHYARD_BIN_DIR and on PATH)"
            case .spawnFailed(let name, let code): "could not start \(name): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Spawns `arguments` detached, with stdout and stderr appended to `logPath`. Returns the pid.
    public static func spawn(_ arguments: [String], logPath: String, environment: [String: String] = [:]) throws -> Int32 {
        guard let name = arguments.first, let executable = Executables.resolve(name) else { throw Failure.notFound(arguments.first ?? "") }
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: logPath).deletingLastPathComponent().path, withIntermediateDirectories: true)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let (pid, code) = launch(executable, Array(arguments.dropFirst()), environment: env, actions: &actions, newSession: true)
        guard code == 0 else { throw Failure.spawnFailed(name, code) }
        return pid
    }

    /// posix_spawn of `executable` with `arguments`, the whole `environment`, and `actions` for descriptors 0–2; nothing
    /// else crosses over: SwiftNIO opens its sockets without close-on-exec, so a yardd listening socket (and its open
    /// connections) would live on in every child, and a yardd restarted after a crash could not bind its port again
    /// while they run. Signals are back to their defaults and unblocked in the child; with `newSession` it is a
    /// session of its own (so a Ctrl-C or a SIGKILL of `yard` does not reach it). Returns the pid and posix_spawn's code.
    static func launch(_ executable: String, _ arguments: [String], environment: [String: String],
                       actions: inout posix_spawn_file_actions_t, newSession: Bool) -> (pid: pid_t, code: Int32) {
        closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // POSIX_SPAWN_SETSID (0x80, glibc 2.26+) is not imported by Swift; its value is fixed by glibc.
        let setsid: Int32 = newSession ? 0x80 : 0
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        return (pid, code)
    }

    /// Closes every descriptor above 2 in the child: glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+, looked
    /// up at run time since Swift does not import it), or else close-on-exec set on each descriptor open now.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            if unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3) == 0 { return }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Waits for a child started by `spawn` to exit and returns its exit status (nil on timeout).
    public static func waitForExit(_ pid: Int32, timeout: Duration) async -> Int32? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < timeout {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if result < 0 { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// SIGTERM, then SIGKILL if the process is still there after `grace`. Returns true when it
    /// exited within the grace period.
    @discardableResult
    public static func terminate(_ pid: Int32, grace: Duration) async -> Bool {
        guard ProcessTable.isAlive(pid) else { return true }
        if ProcessTable.state(of: pid) == "T" { kill(pid, SIGCONT) }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < grace {
            if !ProcessTable.isAlive(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        while ProcessTable.isAlive(pid), clock.now - start < grace + .seconds(5) { try? await Task.sleep(for: .milliseconds(10)) }
        return false
    }
}
