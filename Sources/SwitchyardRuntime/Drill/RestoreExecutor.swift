import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs restore steps. Knows topologies by name, so that it can run steps journaled by a process
/// that has since died.
public struct RestoreExecutor: Sendable {
    public var topologies: [String: Topology]
    public var store: any StateStore
    public var instances: any InstanceDriver
    public var workingDirectory: String
    public var timeout: Duration

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unknownTopology(String)
        case unknownService(String, topology: String)
        case unknownBalancer(String, topology: String)
        case unknownMember(String, datastore: String, topology: String)
        case commandFailed([String], status: Int32, output: String)
        case checkFailed([String], output: String)

        public var description: String {
            switch self {
            case .unknownTopology(let name): "topology \(name) is no longer in topologies/; restore it by hand"
            case .unknownService(let name, let topology): "service \(name) is no longer in topology \(topology); restore it by hand"
            case .unknownBalancer(let name, let topology): "load balancer \(name) is no longer in topology \(topology); restore it by hand"
            case .unknownMember(let name, let store, let topology): "member \(name) of datastore \(store) is no longer in topology \(topology); restore it by hand"
            case .commandFailed(let argv, let status, let output): "\(argv.joined(separator: " ")) exited \(status): \(output.suffix(400))"
            case .checkFailed(let argv, let output): "the recovery check \(argv.joined(separator: " ")) still fails: \(output.suffix(400))"
            }
        }
    }

    public init(topologies: [Topology], store: any StateStore, instances: any InstanceDriver,
                workingDirectory: String = FileManager.default.currentDirectoryPath, timeout: Duration = .seconds(30)) {
        self.topologies = Dictionary(topologies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.store = store
        self.instances = instances
        self.workingDirectory = workingDirectory
        self.timeout = timeout
    }

    /// Performs one step; returns what it did.
    public func perform(_ step: RestoreStep) async throws -> String {
        switch step {
        case .redeploy(let topologyName, let serviceName, let zones, let slot, let version):
            let topology = try topology(topologyName)
            guard let service = topology.service(named: serviceName) else { throw Failure.unknownService(serviceName, topology: topologyName) }
            let running = try await instances.deploy(service, zones: zones, slot: slot, version: version, timeout: timeout)
            let started = running.filter { !$0.adopted }
            for instance in started {
                try? await store.recordInstanceStarted(InstanceRecord(id: instance.id, pid: instance.pid, version: version,
                                                                      command: service.command(for: instance.id, version: version), startedAt: Date()))
            }
            return "\(started.count) instance\(started.count == 1 ? "" : "s") of \(serviceName) started again, \(running.count - started.count) still running"
        case .resume(let pids, let what):
            let alive = pids.filter(ProcessTable.isAlive)
            for pid in alive { kill(pid, SIGCONT) }
            return "\(what): SIGCONT to \(alive.count) of \(pids.count) processes" + (alive.count < pids.count ? " (the others are gone)" : "")
        case .resumeInstances(let topologyName, let serviceName, let frozen, let what):
            let topology = try topology(topologyName)
            guard let service = topology.service(named: serviceName) else { throw Failure.unknownService(serviceName, topology: topologyName) }
            let misses = await instances.send(SIGCONT, to: frozen, of: service)
            return "\(what): SIGCONT to \(frozen.count - misses.count) of \(frozen.count) processes" + (misses.isEmpty ? "" : " (not there: \(misses.joined(separator: "; ")))")
        case .restartLoadBalancer(let topologyName, let name):
            let topology = try topology(topologyName)
            guard let balancer = topology.loadBalancer(named: name) else { throw Failure.unknownBalancer(name, topology: topologyName) }
            let nginx = LoadBalancerDrivers.make(balancer, workingDirectory: workingDirectory)
            if await nginx.isRunning { return "nginx of \(name) already runs" }
            guard let service = topology.services.first(where: { $0.loadBalancer == name }) else {
                throw Failure.unknownService("behind \(name)", topology: topologyName)
            }
            let routing = try await store.routing(service: service.name)?.live ?? Dictionary(uniqueKeysWithValues: service.zones.map { ($0, Slot.blue) })
            try await nginx.start(NginxConfig(balancer: balancer, service: service.name, live: service.liveAddresses(routing), preview: [], prefix: nginx.prefix,
                                              routingLabel: routing.label))
            if let pid = await nginx.masterPID { try? await store.recordLoadBalancer(name: name, masterPID: pid, now: Date()) }
            return "nginx of \(name) started again (\(routing.label))"
        case .unblock(let ports, let tag):
            let removed = try await ProcessInstanceDriver.firewall.reconnect(ports: ports, tag: tag)
            return "ports \(ports.map(String.init).joined(separator: ", ")) reconnected (\(removed) DROP rule\(removed == 1 ? "" : "s") removed)"
        case .reconnectInstances(let topologyName, let serviceName, let cut, let tag):
            let topology = try topology(topologyName)
            guard let service = topology.service(named: serviceName) else { throw Failure.unknownService(serviceName, topology: topologyName) }
            let removed = try await instances.reconnect(cut, of: service, tag: tag)
            return "\(serviceName)'s \(cut.map(\.id.name).joined(separator: ", ")) reconnected (\(removed) DROP rule\(removed == 1 ? "" : "s") removed)"
        case .reconnectNode(let topologyName, let name, let node):
            let topology = try topology(topologyName)
            guard let balancer = topology.loadBalancer(named: name) else { throw Failure.unknownBalancer(name, topology: topologyName) }
            return try await NodeReconnect(balancer: balancer, node: node, timeout: timeout).perform()
        case .rejoinAsReplica(let topologyName, let storeName, let memberName):
            let (store, member) = try member(memberName, of: storeName, in: topologyName)
            return try await PostgresRejoin(datastore: store, member: member, timeout: max(timeout, .seconds(60))).perform()
        case .reconnectMember(let topologyName, let storeName, let memberName, let tag):
            let member = try member(memberName, of: storeName, in: topologyName).member
            let removed = try await PostgresMemberTools(member).reconnect(tag: tag)
            return "\(memberName) of \(storeName) reconnected on \(member.host.name) (\(removed) DROP rule\(removed == 1 ? "" : "s") removed)"
        case .command(let argv, let check):
            let result = try await Command.run(argv)
            guard result.succeeded else { throw Failure.commandFailed(argv, status: result.status, output: result.output) }
            guard let check else { return "\(argv.joined(separator: " ")) exited 0" }
            let clock = ContinuousClock()
            let start = clock.now
            var last = ""
            while clock.now - start < timeout {
                let probe = try await Command.run(check)
                if probe.succeeded { return "\(argv.joined(separator: " ")) exited 0; \(check.joined(separator: " ")) passed after \((clock.now - start).shown)" }
                last = probe.output
                try await Task.sleep(for: .milliseconds(500))
            }
            throw Failure.checkFailed(check, output: last)
        }
    }

    /// Runs a drill run's pending restore steps, newest first, marking each done in the store. Stops at the first
    /// that fails (it stays pending, as do the older ones); returns what each did, that failure, and how many
    /// were pending. Throws only when the pending steps cannot be read.
    public func runPending(run: String) async throws -> (done: [String], failure: String?, pending: Int) {
        let pending = try await store.pendingRestoreActions(run: run)
        var done: [String] = []
        for action in pending.sorted(by: { $0.sequence > $1.sequence }) {
            do {
                done.append(try await perform(try action.action.decode(RestoreStep.self)))
                _ = try await store.markRestoreDone(run: run, sequence: action.sequence, now: Date())
            } catch {
                return (done, "\(error)", pending.count)
            }
        }
        return (done, nil, pending.count)
    }

    /// Datastore `storeName` of topology `topologyName` and its member `memberName`.
    private func member(_ memberName: String, of storeName: String, in topologyName: String) throws -> (store: Datastore, member: DatastoreMember) {
        let topology = try topology(topologyName)
        guard let store = topology.datastores.first(where: { $0.name == storeName }), let member = store.member(named: memberName) else {
            throw Failure.unknownMember(memberName, datastore: storeName, topology: topologyName)
        }
        return (store, member)
    }

    private func topology(_ name: String) throws -> Topology {
        guard let topology = topologies[name] else { throw Failure.unknownTopology(name) }
        return topology
    }
}
