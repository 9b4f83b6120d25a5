import Foundation
import SwitchyardCore

/// The `ssh` driver: each instance runs on its zone's host (`Service.host(of:)`), started, found and stopped through
/// a `HostShell` per host (the OpenSSH client by default, one reused connection per host), kept running by the host's
/// `HostSupervisor`: a systemd transient unit, or a plain process group with a pid file (`ZoneHost.supervisor`). What
/// runs is found from what each host reports (unit or pid file, process alive, command line the instance's), so a yard
/// that died is followed by one that adopts.
public struct SSHInstanceDriver: InstanceDriver {
    public let readiness: ReadinessChecker
    /// Variables set for every instance (a demo's faulty version sets `YARD_FAULT_*`).
    public let environment: [String: String]
    let shells: @Sendable (ZoneHost) -> any HostShell
    let supervisors = HostSupervisorChoice()

    public init(readiness: ReadinessChecker, options: SSHOptions = .fromEnvironment(), environment: [String: String] = [:]) {
        self.init(readiness: readiness, environment: environment) { host in
            SSHHostShell(destination: SSHDestination(address: host.address, user: host.user, port: host.sshPort, identityFile: host.identityFile),
                         options: options)
        }
    }

    public init(readiness: ReadinessChecker, environment: [String: String] = [:], shells: @escaping @Sendable (ZoneHost) -> any HostShell) {
        self.readiness = readiness
        self.environment = environment
        self.shells = shells
    }

    func supervisor(_ host: ZoneHost) async throws -> any HostSupervisor {
        try await supervisors.supervisor(for: host, shell: shells(host))
    }

    /// Every host of the service answers over SSH and has the supervisor it is set to, checked all at once; the first
    /// that does not is named.
    public func preflight(_ service: Service) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for host in service.hosts {
                let shell = shells(host)
                group.addTask {
                    let result = try await shell.run(["true"], timeout: .seconds(15))
                    if !result.succeeded { throw HostShellFailure.unreachable(host: shell.hostName, why: "`true` exited with status \(result.status)") }
                    _ = try await supervisor(host)
                }
            }
            try await group.waitForAll()
        }
    }

    public func deploy(_ service: Service, zones: [String], slot: Slot, version: String, timeout: Duration) async throws -> [RunningInstance] {
        let ids = service.instances(slot: slot).filter { zones.contains($0.zone) }
        let byHost = Dictionary(grouping: ids) { service.host(of: $0) }
        let started = try await withThrowingTaskGroup(of: [RunningInstance].self) { group in
            for (host, hostIDs) in byHost {
                guard let host else { throw InstanceFailure.start(hostIDs[0], "zone \(hostIDs[0].zone) lists no hosts") }
                group.addTask { try await deploy(service, hostIDs, on: host, version: version) }
            }
            var all: [RunningInstance] = []
            for try await some in group { all += some }
            return all
        }
        try await waitReady(service, started, timeout: timeout)
        return ids.compactMap { id in started.first { $0.id == id } }
    }

    private func deploy(_ service: Service, _ ids: [InstanceID], on host: ZoneHost, version: String) async throws -> [RunningInstance] {
        let supervisor = try await supervisor(host)
        let found = try await located(service, on: host, supervisor: supervisor)
        var result: [RunningInstance] = []
        for id in ids {
            let address = service.connectAddress(of: id)
            let expected = service.command(for: id, version: version)
            var adopted: RunningInstance?
            for process in found[id] ?? [] {
                if process.version == version, process.words == expected {
                    adopted = RunningInstance(id: id, pid: process.pid, version: version, address: address, adopted: true)
                } else {
                    _ = try await supervisor.stop(service, id, pid: process.pid, grace: service.drainTimeout.duration)
                }
            }
            if let adopted { result.append(adopted); continue }
            if TCPProbe.canConnect(address) {
                throw InstanceFailure.conflict(id, address: address, detail: "on host \(supervisor.shell.hostName)")
            }
            let pid = try await supervisor.start(service, id, command: expected, environment: environment)
            result.append(RunningInstance(id: id, pid: pid, version: version, address: address, adopted: false))
        }
        return result
    }

    public func retire(_ service: Service, zones: [String], slot: Slot) async -> RetireReport {
        let ids = service.instances(slot: slot).filter { zones.contains($0.zone) }
        let hosts = Set(ids.compactMap { service.host(of: $0) })
        let grace = service.drainTimeout.duration
        let outcomes = await withTaskGroup(of: [(InstanceID, Bool)].self) { group in
            for host in hosts {
                group.addTask {
                    guard let supervisor = try? await supervisor(host),
                          let found = try? await located(service, on: host, supervisor: supervisor) else { return [] }
                    // Drained side by side: the drain timeout is paid once per host, not once per instance.
                    return await withTaskGroup(of: (InstanceID, Bool).self) { inner in
                        for id in ids where service.host(of: id) == host {
                            for process in found[id] ?? [] {
                                inner.addTask { (id, (try? await supervisor.stop(service, id, pid: process.pid, grace: grace)) ?? false) }
                            }
                        }
                        var all: [(InstanceID, Bool)] = []
                        for await outcome in inner { all.append(outcome) }
                        return all
                    }
                }
            }
            var all: [(InstanceID, Bool)] = []
            for await some in group { all += some }
            return all
        }
        return RetireReport(stopped: outcomes.filter(\.1).map(\.0), killed: outcomes.filter { !$0.1 }.map(\.0))
    }

    /// One round trip per host, the hosts side by side.
    public func send(_ signal: Int32, to instances: [RunningInstance], of service: Service) async -> [String] {
        let byHost = Dictionary(grouping: instances) { service.host(of: $0.id) }
        return await withTaskGroup(of: [String].self) { group in
            for (host, some) in byHost {
                guard let host else {
                    group.addTask { some.map { "\($0.id.name): zone \($0.id.zone) lists no hosts" } }
                    continue
                }
                group.addTask {
                    do {
                        let supervisor = try await supervisor(host)
                        let failed = try await supervisor.signal(signal, pids: some.map(\.pid))
                        return some.filter { failed.contains($0.pid) }.map { "\($0.id.name) (pid \($0.pid) on \(supervisor.shell.hostName)): no such process" }
                    } catch {
                        return some.map { "\($0.id.name): \(error)" }
                    }
                }
            }
            var all: [String] = []
            for await some in group { all += some }
            return all.sorted()
        }
    }

    public func running(_ service: Service, slot: Slot) async -> [RunningInstance] {
        let ids = service.instances(slot: slot)
        let hosts = Set(ids.compactMap { service.host(of: $0) })
        let found = await withTaskGroup(of: [InstanceID: [Located]].self) { group in
            for host in hosts {
                group.addTask {
                    guard let supervisor = try? await supervisor(host) else { return [:] }
                    return (try? await located(service, on: host, supervisor: supervisor)) ?? [:]
                }
            }
            var all: [InstanceID: [Located]] = [:]
            for await some in group { all.merge(some) { $0 + $1 } }
            return all
        }
        return ids.flatMap { id in
            (found[id] ?? []).map { RunningInstance(id: id, pid: $0.pid, version: $0.version, address: service.connectAddress(of: id), adopted: true) }
        }
    }

    struct Located: Sendable, Hashable { var pid: Int32; var version: String; var words: [String] }

    /// The instances of `service` that `host` runs now: a unit or pid file, its process alive, and a command line that is the
    /// instance's template word for word with any version in the `{version}` position.
    func located(_ service: Service, on host: ZoneHost, supervisor: any HostSupervisor) async throws -> [InstanceID: [Located]] {
        let marker = "\u{1}version\u{1}"
        let ids = service.instances.filter { service.host(of: $0) == host }
        let byName = Dictionary(ids.map { (HostSupervisorFiles.name(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        var result: [InstanceID: [Located]] = [:]
        for process in try await supervisor.alive(service) {
            guard let id = byName[process.name],
                  let version = ProcessInstanceDriver.match(process.words, service.command(for: id, version: marker), marker: marker) else { continue }
            result[id, default: []].append(Located(pid: process.pid, version: version, words: process.words))
        }
        return result
    }

    private func waitReady(_ service: Service, _ instances: [RunningInstance], timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var waiting = instances
        var rounds = 0
        while !waiting.isEmpty {
            var still: [RunningInstance] = []
            for instance in waiting where !(await readiness.isReady(instance.address, path: service.health.readiness)) { still.append(instance) }
            waiting = still
            if waiting.isEmpty { return }
            rounds += 1
            // Every second or so: is each one still there (one round trip per host)?
            if rounds % 10 == 0 { try await checkAlive(service, waiting) }
            if clock.now >= deadline { throw InstanceFailure.notReady(waiting.map(\.id), after: timeout) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func checkAlive(_ service: Service, _ instances: [RunningInstance]) async throws {
        for host in Set(instances.compactMap { service.host(of: $0.id) }) {
            let supervisor = try await supervisor(host)
            let found = try await located(service, on: host, supervisor: supervisor)
            for instance in instances where service.host(of: instance.id) == host {
                if !(found[instance.id] ?? []).contains(where: { $0.pid == instance.pid }) {
                    throw InstanceFailure.exited(instance.id, status: "gone from \(supervisor.shell.hostName)", log: await supervisor.logTail(service, instance.id))
                }
            }
        }
    }
}
