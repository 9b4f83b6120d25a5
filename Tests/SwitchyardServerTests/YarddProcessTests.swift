import AsyncHTTPClient
import Foundation
import Testing

/// The `yardd` executable itself: manifests checked at start, graceful stop on SIGTERM.
@Suite(.serialized) struct YarddProcessTests {
    @Test func invalidManifestsStopTheStartWithLocatedErrors() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = folder.appendingPathComponent("topologies/local.yaml")
        let text = try String(contentsOf: topology, encoding: .utf8).replacingOccurrences(of: "replicasPerZone: 2", with: "replicasPerZone: 0")
        try text.write(to: topology, atomically: true, encoding: .utf8)

        let (status, log) = try await Self.run(in: folder, ["--listen", "127.0.0.1:0"]) { _ in }
        #expect(status == 1)
        #expect(log.contains("topologies/local.yaml:"))
        #expect(log.contains("replicasPerZone"))
    }

    @Test func servesThenStopsGracefullyOnSIGTERM() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, log) = try await Self.run(in: folder, ["--listen", "127.0.0.1:0"]) { port in
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
            #expect(response.status.code == 200)
        }
        #expect(status == 0, "\(log)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".yard/state.sqlite").path))
    }

    @Test func tokenSubcommandsBootstrapAccessThroughTheStateFile() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".yard/state.sqlite").path
        let created = try Self.runOnce(["token", "create", "ci", "--role", "operator", "--state", state])
        #expect(created.status == 0, "\(created.err)")
        let token = created.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("yard_") && token.count == 48)
        let again = try Self.runOnce(["token", "create", "ci", "--role", "admin", "--state", state])
        #expect(again.status == 1)
        #expect(again.err.contains("already exists"))
        let badRole = try Self.runOnce(["token", "create", "x", "--role", "root", "--state", state])
        #expect(badRole.status != 0)
        let listed = try Self.runOnce(["token", "list", "--state", state])
        #expect(listed.out.hasPrefix("ci\toperator\t"))
        #expect(!listed.out.contains(token))

        let (status, log) = try await Self.run(in: folder, ["--listen", "127.0.0.1:0"]) { port in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/topologies")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            #expect(response.status.code == 200)
        }
        #expect(status == 0, "\(log)")

        #expect(try Self.runOnce(["token", "revoke", "ci", "--state", state]).status == 0)
        #expect(try Self.runOnce(["token", "revoke", "ci", "--state", state]).status == 1)
        #expect(try Self.runOnce(["token", "list", "--state", state]).out.isEmpty)
    }

    /// Runs yardd to completion; returns its exit status, stdout and stderr.
    static func runOnce(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = DaemonHarness.repositoryRoot.appendingPathComponent(".build/debug/yardd")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// A temporary folder with the repository's manifests.
    static func workspace() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yardd-process-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["topologies", "playbooks"] {
            try FileManager.default.copyItem(at: DaemonHarness.repositoryRoot.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Runs yardd in `folder`; once it logs its port, runs `body` and sends SIGTERM. Returns the exit status and the log.
    static func run(in folder: URL, _ arguments: [String], _ body: (Int) async throws -> Void) async throws -> (Int32, String) {
        let binary = DaemonHarness.repositoryRoot.appendingPathComponent(".build/debug/yardd")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "run `swift build --build-tests` first")
        let logFile = folder.appendingPathComponent("yardd.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--manifests", folder.path, "--state", folder.appendingPathComponent(".yard/state.sqlite").path]
        process.currentDirectoryURL = folder
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let log = { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline {
            if let port = listeningPort(log()) {
                try await body(port)
                kill(process.processIdentifier, SIGTERM)
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!process.isRunning, "yardd did not stop: \(log())")
        return (process.terminationStatus, log())
    }

    /// The port in `yardd listening on HOST:PORT`.
    static func listeningPort(_ log: String) -> Int? {
        guard let range = log.range(of: "yardd listening on ") else { return nil }
        let rest = log[range.upperBound...].prefix { $0 != "\n" }
        return rest.split(separator: ":").last.flatMap { Int($0) }
    }
}
