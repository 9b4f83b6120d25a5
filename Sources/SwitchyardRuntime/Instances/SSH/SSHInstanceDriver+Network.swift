import Foundation
import SwitchyardCore

/// A drill's network cut of instances on their hosts: each host drops the packets to its instances' ports (iptables over
/// SSH, rules commented with the drill's tag), the hosts side by side.
extension SSHInstanceDriver {
    public func networkCutUnavailability(_ service: Service) async -> String? {
        let problems = await withTaskGroup(of: String?.self) { group in
            for host in service.hosts {
                let firewall = HostFirewall(shell: shells(host))
                group.addTask { await firewall.unavailability() }
            }
            var all: [String] = []
            for await problem in group { if let problem { all.append(problem) } }
            return all.sorted()
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    public func cutOff(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> String {
        let cut = try await eachHost(instances, of: service) { firewall, ports in
            try await firewall.cut(ports: ports, tag: tag)
            return "\(firewall.shell.hostName) \(ports.map(String.init).joined(separator: ","))"
        }
        return "\(instances.count) port\(instances.count == 1 ? "" : "s") of \(service.name) cut off on their hosts (iptables DROP, tagged \(tag)): "
            + cut.joined(separator: "; ")
    }

    public func reconnect(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> Int {
        try await eachHost(instances, of: service) { firewall, ports in try await firewall.reconnect(ports: ports, tag: tag) }.reduce(0, +)
    }

    /// `body` once per host with the ports of its instances, the hosts side by side; the first failure is thrown after
    /// every host has had its turn (so a cut that failed on one host is still made, or undone, on the others).
    func eachHost<T: Sendable>(_ instances: [RunningInstance], of service: Service,
                               _ body: @escaping @Sendable (HostFirewall, [Int]) async throws -> T) async throws -> [T] {
        var byHost: [String: (ZoneHost, [Int])] = [:]
        for instance in instances {
            guard let host = service.host(of: instance.id) else {
                throw HostFirewall.Failure.failed(host: "no host", what: "finding \(instance.id.name)'s host", output: "zone \(instance.id.zone) lists no hosts")
            }
            byHost[host.address, default: (host, [])].1.append(instance.address.port)
        }
        let outcomes = await withTaskGroup(of: Result<T, any Error>.self) { group in
            for (host, ports) in byHost.values {
                let firewall = HostFirewall(shell: shells(host))
                group.addTask {
                    do { return .success(try await body(firewall, ports.sorted())) } catch { return .failure(error) }
                }
            }
            var all: [Result<T, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        return try outcomes.map { try $0.get() }
    }
}
