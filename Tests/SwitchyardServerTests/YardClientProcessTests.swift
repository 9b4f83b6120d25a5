import Foundation
import SwitchyardTesting
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// The `yard` CLI as a process against the `yardd` executable: tokens made on the local state file, a release
/// through `--server` followed to promotion, status, history and audit as JSON, and refusals a person can act on.
@Suite(.serialized) struct YardClientProcessTests {
    @Test func yardReleasesThroughYarddAndReadsItBack() async throws {
        let workspace = try FleetWorkspace(basePort: 23340, bake: "2s")
        var daemon: YarddExecutable?
        do {
            try await releaseThroughTheDaemon(workspace, daemon: &daemon)
        } catch {
            await daemon?.stop(grace: .seconds(5))
            await workspace.tearDown()
            throw error
        }
        await daemon?.stop(grace: .seconds(5))
        await workspace.tearDown()
    }

    func yard(_ arguments: [String], _ workspace: FleetWorkspace, environment: [String: String] = [:]) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run("yard", arguments, in: workspace.folder, environment: environment)
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    func releaseThroughTheDaemon(_ workspace: FleetWorkspace, daemon: inout YarddExecutable?) async throws {
        // Tokens go into .yard/state.sqlite here, the file yardd serves.
        var tokens: [String: String] = [:]
        for (name, role) in [("ci", "operator"), ("watcher", "viewer"), ("root", "admin")] {
            let created = try await yard(["token", "create", name, "--role", role, "--json"], workspace)
            #expect(created.status == 0, "\(created.err)")
            let object = try #require(try Self.json(created.out) as? [String: Any])
            #expect(object["name"] as? String == name)
            #expect(object["role"] as? String == role)
            tokens[name] = try #require(object["token"] as? String)
        }
        let plain = try await yard(["token", "create", "plain", "--role", "viewer"], workspace)
        #expect(plain.status == 0)
        #expect(plain.out.hasPrefix("yard_") && plain.err.contains("shown only this once"))
        let duplicate = try await yard(["token", "create", "ci", "--role", "admin"], workspace)
        #expect(duplicate.status == 1)
        #expect(duplicate.err.contains("already exists"))

        try await workspace.up(store: try workspace.store())
        let started = try await YarddExecutable.start(workspace, port: workspace.basePort + 2)
        daemon = started
        let server = started.server

        // A release through the daemon, followed to promotion: JSON on stdout, the live view on stderr.
        let release = try await yard(["release", "gateway", "2.0.0", "--server", server, "--token", tokens["ci"]!, "--json"], workspace)
        #expect(release.status == 0, "\(release.err)\n\(started.logText)")
        let final = try #require(try Self.json(release.out) as? [String: Any], "\(release.out)")
        #expect(final["outcome"] as? String == "promoted")
        #expect(final["startedBy"] as? String == "ci")
        let id = try #require(final["id"] as? String)
        #expect(release.err.contains("runs in yardd at \(server)"))
        #expect(release.err.contains("▸ deploy 2.0.0 to green"))
        #expect(release.err.contains("finished: promoted"))

        // status and history with a viewer token, from the environment too.
        let status = try await yard(["release", "status", "--server", server, "--token", tokens["watcher"]!, "--json"], workspace)
        #expect(status.status == 0, "\(status.err)")
        let statusObject = try #require(try Self.json(status.out) as? [String: Any])
        #expect(statusObject["id"] as? String == id)
        #expect(statusObject["outcome"] as? String == "promoted")
        #expect(statusObject["phase"] as? String == "promoted")
        let history = try await yard(["release", "history", "--json"], workspace, environment: ["YARD_SERVER": server, "YARD_TOKEN": tokens["watcher"]!])
        #expect(history.status == 0, "\(history.err)")
        let historyList = try #require(try Self.json(history.out) as? [[String: Any]])
        #expect(historyList.map { $0["id"] as? String } == [id])

        // The audit log names the token's name as the actor.
        let audit = try await yard(["audit", "--json", "--server", server, "--token", tokens["watcher"]!], workspace)
        #expect(audit.status == 0, "\(audit.err)")
        let entries = try #require(try Self.json(audit.out) as? [[String: Any]])
        let starts = entries.filter { $0["action"] as? String == "release.start" }
        #expect(starts.map { $0["outcome"] as? String } == ["accepted", "requested"])
        #expect(starts.allSatisfy { $0["actor"] as? String == "ci" && $0["target"] as? String == "gateway" })
        let local = try await yard(["audit", "--json"], workspace)
        #expect(local.status == 0)
        #expect((try Self.json(local.out) as? [[String: Any]])?.count == entries.count, "the local audit reads the same state file")

        // A viewer cannot promote: 403 naming the role needed; exit status 1.
        let promote = try await yard(["release", "promote", id, "--server", server, "--token", tokens["watcher"]!], workspace)
        #expect(promote.status == 1)
        #expect(promote.err.contains("HTTP 403"), "\(promote.err)")
        #expect(promote.err.contains("role operator"), "\(promote.err)")
        // An operator can ask, but the release is over: 409.
        let over = try await yard(["release", "promote", id, "--server", server, "--token", tokens["ci"]!], workspace)
        #expect(over.status == 1)
        #expect(over.err.contains("HTTP 409 release-over"), "\(over.err)")

        // Tokens through the API: admin only, never a secret in a listing.
        let listed = try await yard(["token", "list", "--json", "--server", server, "--token", tokens["root"]!], workspace)
        #expect(listed.status == 0, "\(listed.err)")
        let names = (try Self.json(listed.out) as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["ci", "plain", "root", "watcher"])
        #expect(!listed.out.contains("yard_") && !listed.out.contains("hash"))
        let notAdmin = try await yard(["token", "list", "--server", server, "--token", tokens["ci"]!], workspace)
        #expect(notAdmin.status == 1)
        #expect(notAdmin.err.contains("HTTP 403") && notAdmin.err.contains("role admin"), "\(notAdmin.err)")
        let made = try await yard(["token", "create", "bot", "--role", "viewer", "--json", "--server", server, "--token", tokens["root"]!], workspace)
        #expect(made.status == 0, "\(made.err)")
        let botToken = try #require((try Self.json(made.out) as? [String: Any])?["token"] as? String)
        #expect(try await yard(["release", "status", id, "--server", server, "--token", botToken], workspace).status == 0)
        let revoked = try await yard(["token", "revoke", "bot", "--server", server, "--token", tokens["root"]!], workspace)
        #expect(revoked.status == 0, "\(revoked.err)")
        let afterRevoke = try await yard(["release", "status", id, "--server", server, "--token", botToken], workspace)
        #expect(afterRevoke.status == 1)
        #expect(afterRevoke.err.contains("HTTP 401") && afterRevoke.err.contains("unknown or revoked"), "\(afterRevoke.err)")

        // No token at all, and no daemon at all: what to do is in the message.
        let anonymous = try await yard(["audit", "--server", server], workspace)
        #expect(anonymous.status == 1)
        #expect(anonymous.err.contains("HTTP 401") && anonymous.err.contains("--token"), "\(anonymous.err)")
        let nobody = try await yard(["release", "history", "--server", "127.0.0.1:\(workspace.basePort + 3)", "--token", tokens["ci"]!], workspace)
        #expect(nobody.status == 1)
        #expect(nobody.err.contains("cannot reach yardd at http://127.0.0.1:\(workspace.basePort + 3)") && nobody.err.contains("Start it with `yardd"), "\(nobody.err)")
    }
}
