import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Instances started through a wrapper script that sets the environment and `exec`s the gateway: their
/// command line is no longer the template's, and the driver still finds, adopts and stops them by the
/// identity it recorded when it started them.
@Suite(.serialized)
struct WrapperInstanceTests {
    @Test func instancesStartedThroughAWrapperAreFoundAdoptedAndStopped() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wrapper-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrapper = folder.appendingPathComponent("launch-gateway")
        try "#!/bin/sh\nexport PLAIN_ERROR_RATE=0\nexec python3 \(PlainGatewayFleet.script) \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper.path, 0o755)
        let service = Service(name: "gateway", zones: ["zone-a", "zone-b"], replicasPerZone: 2, loadBalancer: nil,
                              instance: InstanceSpec(command: "\(wrapper.path) --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance}",
                                                     ports: PortRange(first: 33900)),
                              drainTimeout: .seconds(5), capacityQPS: 100)
        let driver = ProcessInstanceDriver(logDirectory: folder.appendingPathComponent("logs").path, readiness: ReadinessChecker(client: YardHTTPClient.shared))
        var pids: [Int32] = []
        do {
            let started = try await driver.deploy(service, zones: service.zones, slot: .blue, version: "1.0.0", timeout: .seconds(20))
            pids = started.map(\.pid)
            #expect(started.count == 4)
            // After the exec, the command line is the gateway's, not the template's: /proc alone would not find them.
            #expect(ProcessInstanceDriver.find(service, service.instances(slot: .blue)).isEmpty)
            #expect(ProcessTable.commandLine(of: pids[0])?.contains("plain_gateway.py --port") == true)
            #expect(await driver.running(service, slot: .blue).count == 4)
            let again = try await driver.deploy(service, zones: service.zones, slot: .blue, version: "1.0.0", timeout: .seconds(20))
            #expect(again.allSatisfy { $0.adopted })
            #expect(Set(again.map(\.pid)) == Set(pids))
            let report = await driver.retire(service, zones: service.zones, slot: .blue)
            #expect(report.stopped.count == 4)
            #expect(report.ok)
            #expect(pids.allSatisfy { !ProcessTable.isAlive($0) })
            #expect(await driver.running(service, slot: .blue).isEmpty)
        } catch {
            for pid in pids { kill(pid, SIGKILL) }
            throw error
        }
        for pid in pids where ProcessTable.isAlive(pid) { kill(pid, SIGKILL) }
    }
}
