import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// The `process` driver: each instance is a local process started from the service's command
/// template. Instances are found by their command line in /proc, so a control plane that died and
/// started again adopts what is running instead of starting twins, with or without its records; and by
/// the identity recorded when it started them (pid and process start time, beside the log), so that an
/// instance started through a wrapper that `exec`s the gateway under another command line is still found.
public struct ProcessInstanceDriver: InstanceDriver {
    public let logDirectory: String
    public let readiness: ReadinessChecker
    /// Variables added to every instance's environment (a demo's faulty version sets `YARD_FAULT_*`).
    public let environment: [String: String]

    public init(logDirectory: String, readiness: ReadinessChecker, environment: [String: String] = [:]) {
        self.logDirectory = logDirectory
        self.readiness = readiness
        self.environment = environment
    }

    public func deploy(_ service: Service, zones: [String], slot: Slot, version: String, timeout: Duration) async throws -> [RunningInstance] {
        var result: [RunningInstance] = []
        var started: [RunningInstance] = []
        let ids = service.instances(slot: slot).filter { zones.contains($0.zone) }
        let running = locate(service, ids)
        for id in ids {
            let address = HostPort(host: service.instance.host, port: id.port)
            let expected = service.command(for: id, version: version)
            var adopted: RunningInstance?
            for found in running[id] ?? [] {
                if found.version == version, found.commandLine == expected.joined(separator: " ") {
                    adopted = RunningInstance(id: id, pid: found.pid, version: version, address: address, adopted: true)
                } else {
                    await Spawner.terminate(found.pid, grace: service.drainTimeout.duration)
                }
            }
            if let adopted { result.append(adopted); continue }
            // Whatever listens on the port now is not ours (ours were adopted or stopped above): never taken for the
            // instance, never signalled.
            if TCPProbe.canConnect(address) {
                throw InstanceFailure.conflict(id, address: address, detail: Self.strangers(service, [id])[id].map { "pid \($0.map(String.init).joined(separator: ", "))" } ?? "")
            }
            let log = "\(logDirectory)/\(service.name)/\(id.name).log"
            do {
                let pid = try Spawner.spawn(expected, logPath: log, environment: environment)
                record(service, id, pid: pid, version: version, command: expected)
                let instance = RunningInstance(id: id, pid: pid, version: version, address: address, adopted: false)
                result.append(instance)
                started.append(instance)
            } catch {
                throw InstanceFailure.start(id, "\(error)")
            }
        }
        try await waitReady(service, result, timeout: timeout)
        return result
    }

    public func retire(_ service: Service, zones: [String], slot: Slot) async -> RetireReport {
        let ids = service.instances(slot: slot).filter { zones.contains($0.zone) }
        let targets = locate(service, ids).flatMap { id, found in found.map { (id, $0.pid) } }
        let grace = service.drainTimeout.duration
        let outcomes = await withTaskGroup(of: (InstanceID, Bool).self) { group in
            for (id, pid) in targets { group.addTask { (id, await Spawner.terminate(pid, grace: grace)) } }
            var all: [(InstanceID, Bool)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        for id in ids { forget(service, id) }
        return RetireReport(stopped: outcomes.filter(\.1).map(\.0), killed: outcomes.filter { !$0.1 }.map(\.0))
    }

    public func send(_ signal: Int32, to instances: [RunningInstance], of service: Service) async -> [String] {
        var misses: [String] = []
        for instance in instances where kill(instance.pid, signal) != 0 {
            misses.append("\(instance.id.name) (pid \(instance.pid)): \(String(cString: strerror(errno)))")
        }
        if signal == SIGKILL { await Self.reap(instances.map(\.pid)) }
        return misses
    }

    /// The instances listen on this machine's loopback: their ports are dropped on `lo` here.
    static let firewall = HostFirewall(shell: LocalHostShell(), scope: HostFirewall.Scope(loopbackOnly: true))

    public func networkCutUnavailability(_ service: Service) async -> String? { await Self.firewall.unavailability() }

    public func cutOff(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> String {
        let ports = instances.map(\.address.port).sorted()
        try await Self.firewall.cut(ports: ports, tag: tag)
        return "\(ports.count) port\(ports.count == 1 ? "" : "s") of \(service.name) cut off (iptables DROP, tagged \(tag))"
    }

    public func reconnect(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> Int {
        try await Self.firewall.reconnect(ports: instances.map(\.address.port).sorted(), tag: tag)
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

    public func running(_ service: Service, slot: Slot) async -> [RunningInstance] {
        let ids = service.instances(slot: slot)
        let running = locate(service, ids)
        return ids.flatMap { id in
            (running[id] ?? []).map {
                RunningInstance(id: id, pid: $0.pid, version: $0.version, address: HostPort(host: service.instance.host, port: id.port), adopted: true)
            }
        }
    }

    private func waitReady(_ service: Service, _ instances: [RunningInstance], timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var waiting = instances
        while !waiting.isEmpty {
            for instance in waiting where !ProcessTable.isAlive(instance.pid) {
                throw InstanceFailure.exited(instance.id, status: "gone", log: logTail("\(logDirectory)/\(service.name)/\(instance.id.name).log"))
            }
            var still: [RunningInstance] = []
            for instance in waiting where !(await readiness.isReady(instance.address, path: service.health.readiness)) { still.append(instance) }
            waiting = still
            if waiting.isEmpty { return }
            if clock.now >= deadline { throw InstanceFailure.notReady(waiting.map(\.id), after: timeout) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func logTail(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(3).joined(separator: " | ")
    }

    struct Found { var pid: Int32; var version: String; var commandLine: String }

    /// Processes running these instances at any version, read from one pass over /proc: a command
    /// line is the instance's template word for word, with any value in the `{version}` position, run by this user
    /// from the executable the template names. A process with the same command line but another owner or another
    /// executable is a stranger: never adopted, never signalled (`strangers`).
    static func find(_ service: Service, _ ids: [InstanceID]) -> [InstanceID: [Found]] {
        matches(service, ids).mapValues { $0.filter(\.ours).map(\.found) }.filter { !$0.value.isEmpty }
    }

    /// The pids whose command line is an instance's but which are not ours (see `find`).
    static func strangers(_ service: Service, _ ids: [InstanceID]) -> [InstanceID: [Int32]] {
        matches(service, ids).mapValues { $0.filter { !$0.ours }.map(\.found.pid) }.filter { !$0.value.isEmpty }
    }

    private static func matches(_ service: Service, _ ids: [InstanceID]) -> [InstanceID: [(found: Found, ours: Bool)]] {
        let marker = "\u{1}version\u{1}"
        let patterns = ids.map { ($0, service.command(for: $0, version: marker)) }
        let executables = Dictionary(patterns.map { ($0.1[0], Executables.resolve($0.1[0]).map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }) },
                                     uniquingKeysWith: { first, _ in first })
        var found: [InstanceID: [(found: Found, ours: Bool)]] = [:]
        for (pid, words) in commandLines() {
            for (id, pattern) in patterns {
                guard let match = match(words, pattern, marker: marker), ProcessTable.isAlive(pid) else { continue }
                let ours = ProcessTable.userIDs(of: pid)?.effective == geteuid()
                    && executables[pattern[0]].map { $0 == ProcessTable.executable(of: pid) } == true
                found[id, default: []].append((Found(pid: pid, version: match, commandLine: ([pattern[0]] + words.dropFirst()).joined(separator: " ")), ours))
            }
        }
        return found
    }

    static func find(_ service: Service, _ id: InstanceID) -> [Found] { find(service, [id])[id] ?? [] }

    /// Every process's command line, as words.
    static func commandLines() -> [(Int32, [String])] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
            var words = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if words.last == "" { words.removeLast() }
            return (pid, words)
        }
    }

    /// The version in the `{version}` position when `words` is the pattern ("" when the template has none), else nil.
    static func match(_ words: [String], _ pattern: [String], marker: String) -> String? {
        guard words.count == pattern.count, !words.isEmpty else { return nil }
        var version: String?
        for (word, expected) in zip(words.dropFirst(), pattern.dropFirst()) {
            if expected.contains(marker) {
                let parts = expected.components(separatedBy: marker)
                guard word.hasPrefix(parts[0]), word.hasSuffix(parts.last!), word.count >= parts[0].count + parts.last!.count else { return nil }
                version = String(word.dropFirst(parts[0].count).dropLast(parts.last!.count))
            } else if word != expected {
                return nil
            }
        }
        // The executable may have been resolved to a full path.
        guard URL(fileURLWithPath: words[0]).lastPathComponent == URL(fileURLWithPath: pattern[0]).lastPathComponent else { return nil }
        return version ?? ""
    }
}
