import Foundation
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The `yardd` executable on a fixed loopback port, serving a folder of manifests and a state store, as the
/// daemon tests and the takeover benchmark run it.
///
/// Started with the project's `Spawner` (a session of its own, waited for with `waitpid`), not Foundation's
/// `Process`: the gateways yardd starts inherit the descriptor by which `Process` learns that its child exited,
/// so `Process` would not see yardd's exit while they run.
public final class YarddExecutable: @unchecked Sendable {
    public let pid: Int32
    public let port: Int
    public let log: URL
    /// Set once waited for: the pid is never signalled again (it may be reused).
    public private(set) var exited = false

    init(pid: Int32, port: Int, log: URL) {
        self.pid = pid
        self.port = port
        self.log = log
    }
    public var server: String { "http://127.0.0.1:\(port)" }

    /// Starts `binaries/yardd --listen 127.0.0.1:PORT --manifests FOLDER --state STATE ARGUMENTS…` (its log in the
    /// manifests folder) and returns once it listens (its log says so); an exit or 30 s of silence throws with the log.
    public static func start(binaries: URL, manifests: URL, port: Int, state: String, arguments: [String] = []) async throws -> YarddExecutable {
        let log = manifests.appendingPathComponent("yardd-\(port)-\(UUID().uuidString.prefix(6)).log")
        let pid = try Spawner.spawn([binaries.appendingPathComponent("yardd").path, "--listen", "127.0.0.1:\(port)",
                                     "--manifests", manifests.path, "--state", state] + arguments,
                                    logPath: log.path, environment: ["SWITCHYARD_BIN_DIR": binaries.path])
        let started = YarddExecutable(pid: pid, port: port, log: log)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if started.logText.contains("yardd listening on") { return started }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                started.exited = true
                throw YarddDidNotStart(log: started.logText)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        started.kill9()
        throw YarddDidNotStart(log: started.logText)
    }

    public struct YarddDidNotStart: Error, CustomStringConvertible {
        public var log: String
        public var description: String { "yardd did not start listening:\n\(log)" }
    }

    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGKILL, and waits for the process to be gone (reaped).
    public func kill9() {
        guard !exited else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exited = true
    }

    /// SIGTERM and waits; returns the exit status (SIGKILL after `grace`: -1).
    @discardableResult
    public func stop(grace: Duration = .seconds(20)) async -> Int32 {
        guard !exited else { return -1 }
        kill(pid, SIGTERM)
        if let status = await Spawner.waitForExit(pid, timeout: grace) {
            exited = true
            return status
        }
        kill9()
        return -1
    }
}
