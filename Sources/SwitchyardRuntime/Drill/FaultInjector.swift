import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// Breaks what a `FaultPlan` says. Returns what happened, for the journal.
public enum FaultInjector {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case signalFailed([String])
        case commandFailed([String], status: Int32, output: String)

        public var description: String {
            switch self {
            case .signalFailed(let misses): "could not signal \(misses.joined(separator: ", "))"
            case .commandFailed(let argv, let status, let output):
                "\(argv.joined(separator: " ")) exited \(status)\(output.isEmpty ? "" : ": \(output.suffix(400))")"
            }
        }
    }

    public static func inject(_ plan: FaultPlan) async throws -> String {
        switch plan.blow {
        case .signal(let signal, let targets):
            var misses: [String] = []
            for target in targets where kill(target.pid, signal) != 0 {
                misses.append("\(target.name) (pid \(target.pid)): \(String(cString: strerror(errno)))")
            }
            // Every target missed: nothing was broken. Some missed: the rest were, and count.
            if misses.count == targets.count { throw Failure.signalFailed(misses) }
            if signal == SIGKILL { await reap(targets.map(\.pid)) }
            let name = signal == SIGKILL ? "SIGKILL" : signal == SIGSTOP ? "SIGSTOP" : "signal \(signal)"
            return "\(name) sent to \(targets.count - misses.count) of \(targets.count) processes" + (misses.isEmpty ? "" : "; missed \(misses.joined(separator: ", "))")
        case .block(let ports, let tag):
            try await PortFirewall.block(ports: ports, tag: tag)
            return "\(ports.count) ports cut off (iptables DROP, tagged \(tag))"
        case .command(let argv):
            let result = try await Command.run(argv)
            guard result.succeeded else { throw Failure.commandFailed(argv, status: result.status, output: result.output) }
            return "\(argv.joined(separator: " ")) exited 0"
        }
    }

    /// Waits (briefly) until killed processes are gone, reaping the ones that are our children.
    static func reap(_ pids: [Int32]) async {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(2) {
            var status: Int32 = 0
            for pid in pids { _ = waitpid(pid, &status, WNOHANG) }
            if !pids.contains(where: ProcessTable.isAlive) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
