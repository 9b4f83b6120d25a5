import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardServer

/// `yard release …` through yardd (`--server`): the daemon runs the release; the CLI starts it, follows its
/// event stream with the same live view as a local run, and exits the same way (0 promoted, 2 rolled back, 1 error).
enum RemoteRelease {
    static func run(_ client: YarddClient, service: String, version: String, topology: String?, manual: Bool, json: Bool) async throws {
        let view = ReleaseView(json: json)
        let accepted = try await remote { () async throws(YarddClient.Failure) in
            try await client.startRelease(StartReleaseRequest(service: service, version: version, manual: manual ? true : nil, topology: topology))
        }
        view.show(.note("release \(accepted.id) runs in yardd at \(client.server); following its events (Ctrl-C stops watching, not the release)"))
        try await follow(client, id: accepted.id, view: view, json: json)
    }

    /// Follows a release to its end and exits as a local run does.
    static func follow(_ client: YarddClient, id: String, view: ReleaseView, json: Bool) async throws {
        var announced = -1
        let final = try await remote { () async throws(YarddClient.Failure) in
            try await client.follow(release: id, onEvent: { event in
                if case .journal(let entry) = event { view.show(entry: entry) }
            }, onReconnect: { reason, last in
                guard last != announced else { return }
                announced = last
                view.show(.note("lost the event stream (\(reason)); reconnecting with Last-Event-ID \(last)"))
            })
        }
        try finish(final, json: json)
    }

    static func finish(_ release: SwitchyardServer.ReleaseView, json: Bool) throws {
        if json { try printJSON(release) } else {
            print("\(release.outcome == "promoted" ? "✔" : "✘") \(release.service) \(release.version): \(release.outcome ?? release.phase): \(release.reason ?? "")")
        }
        switch release.outcome {
        case "promoted": return
        case "rolled-back": throw ExitCode(2)
        default: throw ExitCode(1)
        }
    }

    static func status(_ client: YarddClient, id: String?, json: Bool) async throws {
        let release = try await remote { () async throws(YarddClient.Failure) -> SwitchyardServer.ReleaseView? in
            if let id { return try await client.release(id: id) }
            // The list leaves the routing out; the release itself has it.
            guard let newest = try await client.releases(limit: 1).first else { return nil }
            return try await client.release(id: newest.id)
        }
        guard let release else { throw CommandFailure("no release yet on \(client.server); start one with yard release SERVICE VERSION", code: "not-found") }
        try printStatus(release, json: json)
    }

    /// `yard release status`, the same locally and through yardd.
    static func printStatus(_ release: SwitchyardServer.ReleaseView, json: Bool) throws {
        if json { try printJSON(release); return }
        print("\(release.id)  \(release.service) \(release.version)  phase \(release.phase)\(release.outcome.map { "  outcome \($0)" } ?? "")")
        if let reason = release.reason { print("  reason: \(reason)") }
        for gate in release.gates {
            print("  gate \(gate.name): \(gate.verdict)  (\(gate.passes) pass, \(gate.failures) fail, \(gate.errors) error)\(gate.last.map { "  last: \($0)" } ?? "")")
        }
        if let routing = release.routing {
            print("  routing: \(routing.label); versions: \(routing.versions.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "))")
        }
        print("  started by \(release.startedBy) at \(ISO8601DateFormatter().string(from: release.createdAt))")
    }

    static func control(_ client: YarddClient, id: String, abortReason: String?, json: Bool) async throws {
        let accepted = try await remote { () async throws(YarddClient.Failure) in
            if let abortReason { return try await client.abort(release: id, reason: abortReason) }
            return try await client.promote(release: id)
        }
        if json { try printJSON(accepted) } else { print("\(accepted.id): \(accepted.status)") }
    }

    static func history(_ client: YarddClient, service: String?, limit: Int, running: Bool, json: Bool) async throws {
        let releases = try await remote { () async throws(YarddClient.Failure) in try await client.releases(service: service, limit: limit, running: running) }
        if releases.isEmpty, !json { print("no \(running ? "running " : "")releases\(service.map { " of \($0)" } ?? "") on \(client.server)"); return }
        try printHistory(releases, json: json)
    }

    /// `yard release history`, the same locally and through yardd.
    static func printHistory(_ releases: [SwitchyardServer.ReleaseView], json: Bool) throws {
        if json { try printJSON(releases); return }
        var table = TextTable(headers: ["id", "service", "version", "phase", "outcome", "started", "reason"])
        let format = ISO8601DateFormatter()
        for release in releases {
            table.rows.append([release.id, release.service, release.version, release.phase, release.outcome ?? "-",
                               format.string(from: release.createdAt), release.reason ?? ""])
        }
        print(table.rendered)
    }
}
