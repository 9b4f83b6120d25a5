import Foundation
import SwitchyardTesting
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// A process Switchyard did not start, with the template's command line word for word, on an instance's port: run
/// from another copy of the executable, or by another user. It is never adopted and never signalled; a deploy onto
/// its port stops with a conflict that names the port.
@Suite(.serialized)
struct ForeignProcessTests {
    enum Stranger: String, CaseIterable, Sendable { case anotherPath, anotherUser }

    @Test(arguments: Stranger.allCases)
    func aStrangerWithTheTemplatesCommandLineIsLeftAlone(_ stranger: Stranger) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stranger-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o755)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try GatewayProcess.binary()
        setenv("SWITCHYARD_BIN_DIR", binary.deletingLastPathComponent().path, 1)
        let port = 34700 + (stranger == .anotherPath ? 0 : 10)
        let service = Service(name: "gateway", zones: ["zone-a"], replicasPerZone: 1, loadBalancer: nil,
                              instance: InstanceSpec(command: "yard-gateway --port {port} --version {version}", ports: PortRange(first: port)),
                              drainTimeout: .seconds(5), capacityQPS: 100)
        let id = try #require(service.instances(slot: .blue).first)
        // The stranger: the template's words, from a copy of the gateway elsewhere, or from this one run as nobody.
        var argv = service.command(for: id, version: "1.0.0")
        switch stranger {
        case .anotherPath:
            let copy = folder.appendingPathComponent("yard-gateway")
            try FileManager.default.copyItem(at: binary, to: copy)
            argv[0] = copy.path
        case .anotherUser:
            try #require(geteuid() == 0, "running a process as nobody needs root")
            argv = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", binary.path] + argv.dropFirst()
        }
        let stranger = try Spawner.spawn(argv, logPath: folder.appendingPathComponent("stranger.log").path)
        defer { kill(stranger, SIGKILL); _ = waitpid(stranger, nil, 0) }
        let address = HostPort(host: "127.0.0.1", port: id.port)
        for _ in 0..<200 where !TCPProbe.canConnect(address) { try await Task.sleep(for: .milliseconds(25)) }
        try #require(TCPProbe.canConnect(address), "the stranger did not listen: \((try? String(contentsOf: folder.appendingPathComponent("stranger.log"), encoding: .utf8)) ?? "")")
        #expect(ProcessTable.commandLine(of: stranger)?.hasSuffix("--port \(id.port) --version 1.0.0") == true)

        let driver = ProcessInstanceDriver(logDirectory: folder.appendingPathComponent("logs").path, readiness: ReadinessChecker(client: YardHTTPClient.shared))
        #expect(await driver.running(service, slot: .blue).isEmpty, "not taken for an instance")
        do {
            _ = try await driver.deploy(service, zones: ["zone-a"], slot: .blue, version: "1.0.0", timeout: .seconds(10))
            Issue.record("a deploy onto the stranger's port went through")
        } catch InstanceFailure.conflict(let conflicting, let at, let detail) {
            #expect(conflicting == id && at == address)
            #expect(detail.contains("\(stranger)"), "\(detail)")
        }
        let report = await driver.retire(service, zones: ["zone-a"], slot: .blue)
        #expect(report.stopped.isEmpty && report.killed.isEmpty)
        #expect(ProcessTable.isAlive(stranger) && ProcessTable.state(of: stranger) != "T", "never signalled")
    }
}
