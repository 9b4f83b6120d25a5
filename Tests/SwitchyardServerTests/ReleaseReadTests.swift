import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

@Suite(.serialized) struct ReleaseReadTests {
    @Test func listsReleasesNewestFirst() async throws {
        try await DaemonHarness.with { yardd in
            try await Seed.release(yardd.store, id: "rel-old", version: "1.1", seconds: 0)
            try await Seed.release(yardd.store, id: "rel-new", version: "1.2", seconds: 60)
            let reply = try await yardd.get("/v1/releases")
            #expect(reply.status == 200)
            let releases = try #require(reply.object["releases"] as? [[String: Any]])
            #expect(releases.map { $0["id"] as? String } == ["rel-new", "rel-old"])
            let limited = try #require(try await yardd.get("/v1/releases?limit=1").object["releases"] as? [[String: Any]])
            #expect(limited.map { $0["id"] as? String } == ["rel-new"])
        }
    }

    @Test func getsOneReleaseWithPhaseAndGates() async throws {
        try await DaemonHarness.with { yardd in
            try await Seed.release(yardd.store, id: "rel-1", version: "2.0")
            let reply = try await yardd.get("/v1/releases/rel-1")
            #expect(reply.status == 200)
            #expect(reply.object["id"] as? String == "rel-1")
            #expect(reply.object["service"] as? String == "gateway")
            #expect(reply.object["version"] as? String == "2.0")
            #expect(reply.object["previousVersion"] as? String == "1.0")
            #expect(reply.object["phase"] as? String == "planned")
            #expect(reply.object["outcome"] == nil)
            #expect(reply.object["startedBy"] as? String == "ci")
            #expect(reply.object["gates"] as? [Any] != nil)
        }
    }

    @Test func showsTheJournal() async throws {
        try await DaemonHarness.with { yardd in
            try await Seed.release(yardd.store, id: "rel-1")
            let reply = try await yardd.get("/v1/releases/rel-1/journal")
            #expect(reply.status == 200)
            let entries = try #require(reply.object["entries"] as? [[String: Any]])
            #expect(entries.first?["sequence"] as? Int == 1)
            #expect(entries.first?["message"] as? String == "release of gateway 2.0 started by ci")
        }
    }

    @Test(arguments: ["/v1/releases/rel-missing", "/v1/releases/rel-missing/journal"])
    func anUnknownReleaseIsA404InTheErrorShape(path: String) async throws {
        try await DaemonHarness.with { yardd in
            let reply = try await yardd.get(path)
            #expect(reply.status == 404)
            let error = try #require(reply.object["error"] as? [String: Any])
            #expect(error["code"] as? String == "not-found")
            #expect(error["message"] as? String == "no release rel-missing")
            #expect((error["details"] as? [String: String])?["release"] == "rel-missing")
        }
    }
}
