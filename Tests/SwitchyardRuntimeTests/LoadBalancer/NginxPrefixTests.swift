import Foundation
import Testing
import AsyncHTTPClient
import SwitchyardTesting
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// nginx's prefix as the driver lays it out: nothing world-writable, paths quoted in the configuration, and a prefix
/// that quoting cannot make harmless refused before nginx sees it.
@Suite(.serialized)
struct NginxPrefixTests {
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aPrefixWithASpaceServesAndNoFolderIsWorldWritable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard nginx \(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let balancer = ManagedNginxTests.balancer(folder, port: 34100)
        let driver = ManagedNginx(balancer: balancer)
        try await GatewayProcess.with(["--slot", "blue"]) { blue in
            try await driver.start(await ManagedNginxTests.config(balancer, driver, live: [blue.address], label: "blue"))
            defer { Task { await driver.stop() } }
            let text = try String(contentsOfFile: folder.appendingPathComponent("conf/nginx.conf").path, encoding: .utf8)
            #expect(text.contains("pid \"\(folder.path)/nginx.pid\";"), "\(text)")
            let reply = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://\(balancer.listen)/healthz"), timeout: .seconds(5))
            #expect(reply.status.code == 200)
            for sub in ["", "conf", "logs", "temp"] {
                #expect(try Self.mode(folder.appendingPathComponent(sub).path) == 0o755, "\(sub)")
            }
            for sub in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
                let path = folder.appendingPathComponent("temp/\(sub)").path
                #expect(try Self.mode(path) == 0o700, "\(sub)")
                if geteuid() == 0 {
                    let owner = (try FileManager.default.attributesOfItem(atPath: path)[.ownerAccountID] as? NSNumber)?.uint32Value
                    #expect(owner == getpwnam("nobody")?.pointee.pw_uid, "temp/\(sub) belongs to nginx's worker user")
                }
            }
            await driver.stop()
        }
    }

    @Test func aLinkPlantedAtTheStagingFileIsNotWrittenThrough() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-stage-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let victim = folder.appendingPathComponent("victim").path
        try "keep".write(toFile: victim, atomically: false, encoding: .utf8)
        let staging = folder.appendingPathComponent("nginx.conf.next").path
        try FileManager.default.createSymbolicLink(atPath: staging, withDestinationPath: victim)
        try ManagedNginx.writeExclusively("new text", to: staging)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: staging, encoding: .utf8) == "new text")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: staging)) == nil, "the link was replaced by a file")
    }

    @Test(arguments: ["/tmp/a$b", "/tmp/a\"b", "/tmp/a\nb", "/tmp/a\\b"])
    func aPrefixQuotingCannotProtectIsRefused(prefix: String) {
        let balancer = LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: 1), previewListen: HostPort(host: "127.0.0.1", port: 2),
                                    directory: prefix)
        let config = NginxConfig(balancer: balancer, service: "gateway", live: [HostPort(host: "127.0.0.1", port: 3)], preview: [], prefix: prefix,
                                 routingLabel: "blue")
        #expect(throws: NginxConfig.RenderError.unsafePrefix(prefix)) { try config.render() }
    }

    @Test func aHostThatIsNoHostIsNeverRendered() {
        let balancer = LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: 1), previewListen: HostPort(host: "127.0.0.1", port: 2),
                                    directory: "/tmp/x")
        let config = NginxConfig(balancer: balancer, service: "gateway", live: [HostPort(host: "127.0.0.1; include /x", port: 3)], preview: [],
                                 prefix: "/tmp/x", routingLabel: "blue")
        #expect(throws: NginxConfig.RenderError.unsafeHost("127.0.0.1; include /x")) { try config.render() }
    }
}
