import AsyncHTTPClient
import Foundation
import HummingbirdTLS
import NIOCore
import Testing

/// The `yardd` executable: manifest reload on SIGHUP, TLS, and where it refuses to listen.
@Suite(.serialized) struct YarddOperabilityProcessTests {
    static func get(_ url: String, token: String? = nil, client: HTTPClient = .shared) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 22)))
    }

    static func topologyNames(_ body: String) -> [String] {
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        return ((object?["topologies"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted()
    }

    static func token(in folder: URL) throws -> String {
        let created = try YarddProcessTests.runOnce(["token", "create", "ops", "--role", "viewer", "--state",
                                                     folder.appendingPathComponent(".yard/state.sqlite").path])
        try #require(created.status == 0, "\(created.err)")
        return created.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func sighupReloadsTheManifestsAndABadSetKeepsTheOldOne() async throws {
        let folder = try YarddProcessTests.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = try Self.token(in: folder)
        try await YarddProcess.with(in: folder, ["--listen", "127.0.0.1:0"]) { yardd in
            let url = "http://127.0.0.1:\(yardd.port)/v1/topologies"
            #expect(Self.topologyNames(try await Self.get(url, token: token).1) == ["local", "two-zone-production"])

            // A bad set: refused, logged with its location, the old set serves on.
            let broken = try ManifestFiles.topology(named: "broken", listen: 7900, ports: 7910...7929, replicasPerZone: 0)
            try ManifestFiles.write(broken, to: folder, "topologies/broken.yaml")
            kill(yardd.pid, SIGHUP)
            try await Self.poll { yardd.log.contains("manifest reload (SIGHUP) refused") }
            #expect(yardd.log.contains("topologies/broken.yaml:\(ManifestFiles.line(of: "replicasPerZone: 0", in: broken)!):"), "\(yardd.log)")
            #expect(Self.topologyNames(try await Self.get(url, token: token).1) == ["local", "two-zone-production"])

            // Fixed: the next SIGHUP adds it.
            try FileManager.default.removeItem(at: folder.appendingPathComponent("topologies/broken.yaml"))
            try ManifestFiles.write(try ManifestFiles.topology(named: "second", listen: 7900, ports: 7910...7929), to: folder, "topologies/second.yaml")
            kill(yardd.pid, SIGHUP)
            try await Self.poll { Self.topologyNames(try await Self.get(url, token: token).1).contains("second") }
            #expect(yardd.process.isRunning)
            #expect(try await yardd.stop() == 0)
        }
    }

    @Test func servesHTTPSWithTheGivenCertificate() async throws {
        let folder = try YarddProcessTests.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try Self.selfSignedCertificate(in: folder)
        try await YarddProcess.with(in: folder, ["--listen", "127.0.0.1:0", "--tls-cert", certificate.path, "--tls-key", key.path]) { yardd in
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate.path))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                let (status, body) = try await Self.get("https://127.0.0.1:\(yardd.port)/healthz", client: client)
                #expect(status == 200)
                #expect(body.contains("alive"))
                let unauthorized = try await Self.get("https://127.0.0.1:\(yardd.port)/v1/topologies", client: client)
                #expect(unauthorized.0 == 401)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            // Plain HTTP gets no answer, and a client that does not trust the certificate refuses it.
            await #expect(throws: (any Error).self) { _ = try await Self.get("http://127.0.0.1:\(yardd.port)/healthz") }
            await #expect(throws: (any Error).self) { _ = try await Self.get("https://127.0.0.1:\(yardd.port)/healthz") }
        }
    }

    @Test func aPublicBindWithoutTLSIsRefusedUnlessAskedForLoudly() async throws {
        let folder = try YarddProcessTests.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".yard/state.sqlite").path
        let refused = try YarddProcessTests.runOnce(["--listen", "0.0.0.0:0", "--manifests", folder.path, "--state", state])
        #expect(refused.status == 1)
        #expect(refused.err.contains("refusing to listen on 0.0.0.0 without TLS"), "\(refused.err)")
        #expect(refused.err.contains("--tls-cert"))

        let halfTLS = try YarddProcessTests.runOnce(["--listen", "127.0.0.1:0", "--tls-cert", "cert.pem", "--manifests", folder.path, "--state", state])
        #expect(halfTLS.status != 0)
        #expect(halfTLS.err.contains("--tls-cert and --tls-key go together"), "\(halfTLS.err)")

        let missing = try YarddProcessTests.runOnce(["--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key",
                                                     "--manifests", folder.path, "--state", state])
        #expect(missing.status == 1)
        #expect(missing.err.contains("--tls-cert /nonexistent.pem"), "\(missing.err)")

        try await YarddProcess.with(in: folder, ["--listen", "0.0.0.0:0"], environment: ["YARDD_INSECURE_PUBLIC": "1"]) { yardd in
            #expect(yardd.log.contains("WARNING: yardd serves plain HTTP on 0.0.0.0"), "\(yardd.log)")
            let (status, _) = try await Self.get("http://127.0.0.1:\(yardd.port)/healthz")
            #expect(status == 200)
        }
    }

    /// A self-signed certificate for 127.0.0.1 and localhost, made by `openssl`.
    static func selfSignedCertificate(in folder: URL) throws -> (URL, URL) {
        let certificate = folder.appendingPathComponent("cert.pem"), key = folder.appendingPathComponent("key.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key.path, "-out", certificate.path, "-days", "1", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl could not make a certificate (is the openssl package installed?)")
        return (certificate, key)
    }

    /// Polls `condition` every 100 ms for at most 20 s.
    static func poll(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not met within 20 s")
    }
}
