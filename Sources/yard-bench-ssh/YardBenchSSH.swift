import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardTesting

/// One release step over SSH to namespace hosts: the preflight, the deploy of a slot (one gateway per host, started
/// over SSH, until every one answers ready) and its retirement, with the connection per host reused
/// (ControlMaster) and without. Needs root, iproute2 and openssh-server (bench/ssh/README.md).
@main
struct YardBenchSSH: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "yard-bench-ssh",
                                                    abstract: "Time a deploy step over SSH to 4 and 16 namespace hosts, with and without connection reuse.")

    @Option(help: "ZoneHost counts to measure (even numbers: half per zone).") var hosts: [Int] = [4, 16]
    @Option(help: "Rounds per figure (the median is printed).") var rounds = 3
    @Option(help: "First instance port.") var basePort = 27600

    func run() async throws {
        let gateway = try Executables.resolve("yard-gateway").unwrap("yard-gateway not found beside yard-bench-ssh")
        print("hosts  reuse  preflight  deploy (to ready)  retire  step total   (median of \(rounds), ms)")
        for count in hosts {
            try await NetnsLab.with(hosts: count) { lab in
                for reuse in [true, false] {
                    var figures: [[Double]] = []
                    for _ in 0..<rounds { figures.append(try await round(lab, count: count, reuse: reuse, gateway: gateway)) }
                    let median = (0..<4).map { column in figures.map { $0[column] }.sorted()[figures.count / 2] }
                    print(String(format: "%5d  %5@  %9.0f  %17.0f  %6.0f  %10.0f", count, reuse ? "yes" : "no", median[0], median[1], median[2], median[3]))
                    await closeMasters(lab)
                }
            }
        }
    }

    func round(_ lab: NetnsLab, count: Int, reuse: Bool, gateway: String) async throws -> [Double] {
        let zones = ["zone-a", "zone-b"]
        let hosts = lab.addresses.enumerated().map { ZoneHost(zone: zones[$0.offset % 2], address: $0.element) }
        var service = Service(name: "bench", zones: zones, replicasPerZone: count / 2, loadBalancer: nil,
                              instance: InstanceSpec(command: "\(gateway) --host {host} --port {port} --version {version}", ports: PortRange(first: basePort)),
                              drainTimeout: .seconds(5), capacityQPS: 100)
        service.hosts = hosts
        let options = SSHOptions(configFile: lab.sshConfig, reuseConnections: reuse, controlDirectory: lab.controlDirectory)
        let driver = SSHInstanceDriver(readiness: ReadinessChecker(client: YardHTTPClient.shared), options: options)
        let clock = ContinuousClock()
        let start = clock.now
        try await driver.preflight(service)
        let preflight = clock.now
        _ = try await driver.deploy(service, zones: zones, slot: .blue, version: "1.0.0", timeout: .seconds(30))
        let deployed = clock.now
        let report = await driver.retire(service, zones: zones, slot: .blue)
        let retired = clock.now
        guard report.stopped.count == count else { throw ValidationError("retire stopped \(report.stopped.count) of \(count)") }
        return [preflight - start, deployed - preflight, retired - deployed, retired - start].map(\.milliseconds)
    }

    func closeMasters(_ lab: NetnsLab) async {
        let options = SSHOptions(configFile: lab.sshConfig, controlDirectory: lab.controlDirectory)
        for address in lab.addresses { await SSHHostShell(destination: SSHDestination(address: address), options: options).closeConnection() }
    }
}

extension Optional {
    func unwrap(_ message: String) throws -> Wrapped {
        guard let self else { throw ValidationError(message) }
        return self
    }
}
