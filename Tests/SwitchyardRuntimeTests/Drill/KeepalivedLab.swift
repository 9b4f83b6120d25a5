import SwitchyardTesting
import Foundation
@testable import SwitchyardCore
@testable import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// A keepalived pair in the namespace lab, on a network of its own (`ykp-`, 10.78.0.0/16) so that it runs beside the
/// SSH suites' lab: hosts 0 and 1 are the load-balancer nodes (a site nginx listening on every address, keepalived with
/// the virtual address 10.78.1.100, both `state BACKUP` with `nopreempt`, so a node that comes back does not take the
/// address back); the gateways run on this machine on the bridge's address 10.78.0.1, or over SSH on hosts 2 to 5. `with` always takes it all down
/// (the lab kills every process in its namespaces).
struct KeepalivedLab {
    static let network = NetnsLab.Network(prefix: "ykp-", octet: 78)
    static let virtualAddress = "10.78.1.100"

    var harness: ReleaseHarness
    let lab: NetnsLab
    let pair: KeepalivedPair

    var balancer: LoadBalancer { harness.topology.loadBalancers[0] }

    static var isAvailable: Bool { NetnsLab.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/sbin/keepalived") }

    /// With `sshHosts`, the gateways run on four more namespace hosts (2 zones x 2 hosts, started over SSH) instead of
    /// on this machine.
    static func with(basePort port: Int, sshHosts: Bool = false, _ body: (KeepalivedLab) async throws -> Void) async throws {
        try await NetnsLab.with(hosts: sshHosts ? 6 : 2, network: network) { lab in
            SSHFleet.pointSSH(at: lab)
            try clientsTakeGratuitousARP()
            var harness = try ReleaseHarness(basePort: port)
            let gateway = try GatewayProcess.binary().path
            let folders = [0, 1].map { harness.folder.appendingPathComponent("lb-\($0)").path }
            let old = harness.fleet.topology.loadBalancers[0]
            if sshHosts {
                harness.fleet.topology.zones = ["zone-a", "zone-b"].enumerated().map { z, zone in
                    Zone(name: zone, hosts: [ZoneHost(zone: zone, address: lab.addresses[2 + 2 * z]), ZoneHost(zone: zone, address: lab.addresses[3 + 2 * z])])
                }
                harness.fleet.topology.services[0].hosts = harness.fleet.topology.zones.flatMap(\.hosts)
            } else {
                harness.fleet.topology.services[0].instance.host = network.bridgeAddress
            }
            harness.fleet.topology.services[0].instance.command =
                "\(gateway) --host {host} --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance} --token-delay 20ms"
            harness.fleet.topology.loadBalancers[0] = LoadBalancer(
                name: "edge", listen: HostPort(host: "0.0.0.0", port: port), previewListen: HostPort(host: "0.0.0.0", port: port + 1),
                directory: folders[0], managed: false, drainTimeout: old.drainTimeout, maxFails: old.maxFails, failTimeout: old.failTimeout,
                nodes: [0, 1].map { index in
                    let folder = folders[index]
                    return .init(name: "lb-\(index + 1)", zone: index == 0 ? "zone-a" : "zone-b", address: lab.addresses[index], directory: folder,
                                 pidFile: "\(folder)/nginx.pid",
                                 cutCommand: ["ip", "link", "set", network.outsideLink(index), "down"],
                                 reconnectCommand: ["ip", "link", "set", network.outsideLink(index), "up"],
                                 keepalived: KeepalivedProcess(pidFile: "\(folder)/keepalived.pid", vrrpPidFile: "\(folder)/vrrp.pid",
                                                               start: ["keepalived", "--vrrp", "--use-file", "\(folder)/keepalived.conf",
                                                                       "--pid", "\(folder)/keepalived.pid", "--vrrp_pid", "\(folder)/vrrp.pid"]))
                },
                virtualAddress: virtualAddress)
            let fleet = KeepalivedLab(harness: harness, lab: lab, pair: try KeepalivedPair(balancer: harness.fleet.topology.loadBalancers[0]))
            do {
                try await fleet.start()
                try await body(fleet)
            } catch {
                await harness.down()
                throw error
            }
            await harness.down()
        }
    }

    /// The clients of the pair are this machine, on the lab's bridge: they take the new holder's gratuitous ARP at once,
    /// as a router in front of a real pair does. By default Linux ignores an ARP update that comes within `locktime`
    /// (1 s) of the entry's last change, so after a takeover the clients kept sending to the cut node's MAC for up to a
    /// second more (seen: served again 0.77 s after the address moved). The settings go with the bridge.
    static func clientsTakeGratuitousARP() throws {
        for setting in ["net.ipv4.neigh.\(network.bridge).locktime=0", "net.ipv4.conf.\(network.bridge).arp_accept=1"] {
            let result = try ChildProcess.runSynchronously(["/usr/sbin/sysctl", "-q", "-w", setting])
            guard result.succeeded else { throw SitePair.Failure(description: "sysctl -w \(setting): \(result.output)") }
        }
    }

    /// The nodes' nginx and keepalived, the fleet up at 1.0.0, and the virtual address on one node, serving.
    func start() async throws {
        let port = balancer.listen.port
        for (index, node) in balancer.nodes.enumerated() {
            let folder = node.directory!
            try SitePair.writeSite(folder, address: node.address, port: port)
            try await nginx(index, folder, [])
            try keepalivedConfig(index).write(toFile: "\(folder)/keepalived.conf", atomically: true, encoding: .utf8)
            // In the foreground, under `ip netns exec` (the restore's start command forks instead).
            _ = try Spawner.spawn(["/usr/sbin/ip", "netns", "exec", lab.namespace(index), "/usr/sbin/keepalived", "--dont-fork", "--vrrp",
                                   "--log-console", "--log-detail", "--use-file", "\(folder)/keepalived.conf",
                                   "--pid", node.keepalivedProcess.pidFile, "--vrrp_pid", node.keepalivedProcess.vrrpPidFile],
                                  logPath: "\(folder)/keepalived.log")
        }
        try await harness.up()
        for (index, node) in balancer.nodes.enumerated() {
            try SitePair.writeLiveServer(node.directory!, address: "0.0.0.0", port: port)
            try await nginx(index, node.directory!, ["-s", "reload"])
        }
        let clock = ContinuousClock()
        let start = clock.now
        var last = ""
        while clock.now - start < .seconds(20) {
            do {
                _ = try await pair.holder()
                if try await SitePair.version(through: balancer.clientListener) == "1.0.0" { return }
            } catch { last = "\(error)" }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SitePair.Failure(description: "the virtual address never served: \(last); \(logs())")
    }

    func keepalivedConfig(_ index: Int) -> String {
        let peer = lab.addresses[1 - index], link = Self.network.insideLink(index)
        return """
            global_defs {
                router_id ykp-\(index)
            }
            vrrp_instance ykp_78 {
                state BACKUP
                nopreempt
                interface \(link)
                virtual_router_id 78
                priority \(index == 0 ? 150 : 100)
                advert_int 1
                unicast_src_ip \(lab.addresses[index])
                unicast_peer {
                    \(peer)
                }
                virtual_ipaddress {
                    \(Self.virtualAddress)/16 dev \(link)
                }
            }

            """
    }

    /// Whether the host side of `node`'s veth is up.
    func linkIsUp(_ node: LoadBalancer.Node) throws -> Bool {
        let index = balancer.nodes.firstIndex(of: node)!
        let result = try ChildProcess.runSynchronously(["/usr/sbin/ip", "-o", "link", "show", Self.network.outsideLink(index)])
        return result.output.contains("state UP")
    }

    /// SIGKILL to every keepalived in host `index`'s namespace; waits until they are gone.
    func killKeepalived(_ index: Int) {
        for _ in 0..<100 {
            let pids = ((try? ChildProcess.runSynchronously(["/usr/sbin/ip", "netns", "pids", lab.namespace(index)]))?.output ?? "")
                .split(separator: "\n").compactMap { Int32($0) }
                .filter { (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8))?.hasPrefix("keepalived") == true }
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    func nginx(_ index: Int, _ folder: String, _ arguments: [String]) async throws {
        let result = try await Command.run(["ip", "netns", "exec", lab.namespace(index), "nginx", "-p", folder, "-c", "\(folder)/nginx.conf"] + arguments)
        guard result.succeeded else { throw SitePair.Failure(description: "nginx \(arguments) on node \(index): \(result.output)") }
    }

    func logs() -> String {
        balancer.nodes.map { "\($0.name): " + ((try? String(contentsOfFile: "\($0.directory!)/keepalived.log", encoding: .utf8)) ?? "").suffix(1500) }
            .joined(separator: "\n")
    }
}
