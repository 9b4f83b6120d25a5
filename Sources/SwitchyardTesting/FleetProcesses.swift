import Foundation
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Stops what a test fleet left running, found by what it is rather than by who started it: the `yard-gateway`
/// processes on the fleet's ports (started by a test, a release in a daemon, a drill's restore) and the nginx whose
/// prefix is the fleet's folder.
public enum FleetProcesses {
    /// nginx first, with SIGTERM (its master stops its workers; a SIGKILLed master may leave them running), then
    /// SIGKILL to every gateway on `gatewayPorts` and to any nginx master of `folder` and its workers, until none is
    /// left. Returns the pids it signalled, for a caller to reap those that are its children.
    @discardableResult
    public static func stop(folder: String, gatewayPorts: [Int]) async -> Set<Int32> {
        let ports = gatewayPorts.map { "--port \($0) " }
        let masters = processes().filter { $0.line.hasPrefix("nginx: master") && $0.line.contains(folder) }.map(\.pid)
        for pid in masters { kill(pid, SIGTERM) }
        let start = ContinuousClock.now
        while masters.contains(where: { ProcessTable.isAlive($0) && ProcessTable.state(of: $0) != "Z" }), ContinuousClock.now - start < .seconds(5) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        var signalled: Set<Int32> = []
        for _ in 0..<50 {
            var found = false
            for (pid, line) in processes() where ProcessTable.state(of: pid) != "Z" {
                if line.contains("yard-gateway"), ports.contains(where: { line.contains($0) }) {
                    kill(pid, SIGKILL)
                    signalled.insert(pid)
                    found = true
                }
                if line.hasPrefix("nginx: master"), line.contains(folder) {
                    for child in ProcessTable.children(of: pid) { kill(child, SIGKILL) }
                    kill(pid, SIGKILL)
                    signalled.insert(pid)
                    found = true
                }
            }
            var status: Int32 = 0
            for pid in signalled { _ = waitpid(pid, &status, WNOHANG) }
            if !found { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return signalled
    }

    /// Every process with its command line.
    public static func processes() -> [(pid: Int32, line: String)] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).compactMap { pid in
            ProcessTable.commandLine(of: pid).map { (pid, $0) }
        }
    }
}
