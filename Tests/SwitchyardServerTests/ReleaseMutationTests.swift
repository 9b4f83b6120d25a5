import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

@Suite(.serialized) struct ReleaseMutationTests {
    @Test func startingAReleaseBeforeAnythingIsLiveIsAConflictThatSaysWhatToDo() async throws {
        try await DaemonHarness.with { yardd in
            let reply = try await yardd.post("/v1/releases", ["service": "gateway", "version": "1.1.0"])
            #expect(reply.status == 409)
            #expect(reply.errorCode == "nothing-live")
            let message = (reply.object["error"] as? [String: Any])?["message"] as? String
            #expect(message?.contains("yard up") == true)
            let releases = try await yardd.store.listReleases(ReleaseQuery())
            #expect(releases.isEmpty)
        }
    }

    @Test func aHeldServiceLockIsAConflictNamingTheHolder() async throws {
        try await DaemonHarness.with { yardd in
            try await yardd.store.commitRouting(service: "gateway", live: ["zone-a": .blue, "zone-b": .blue], versions: [.blue: "1.0.0"], now: Date())
            try await yardd.store.acquireLock(name: "release/local/gateway", holder: "rel-other", lease: .seconds(60), now: Date())
            let reply = try await yardd.post("/v1/releases", ["service": "gateway", "version": "1.1.0"])
            #expect(reply.status == 409)
            #expect(reply.errorCode == "lock-held")
            let details = (reply.object["error"] as? [String: Any])?["details"] as? [String: String]
            #expect(details?["holder"] == "rel-other")
        }
    }

    @Test func anUnknownServiceOrABadBodyIsRefused() async throws {
        try await DaemonHarness.with { yardd in
            let unknown = try await yardd.post("/v1/releases", ["service": "nope", "version": "1.0"])
            #expect(unknown.status == 422)
            #expect(unknown.errorCode == "unknown-service")
            let missing = try await yardd.post("/v1/releases", ["service": "gateway"])
            #expect(missing.status == 400)
            #expect(missing.errorCode == "bad-request")
            let garbage = try await yardd.post("/v1/releases", raw: "not json")
            #expect(garbage.status == 400)
        }
    }

    @Test func mutationsAreAuditedBeforeAndAfterTheyAct() async throws {
        try await DaemonHarness.with { yardd in
            _ = try await yardd.post("/v1/releases", ["service": "gateway", "version": "1.1.0"])
            let audit = try await yardd.store.listAudit(limit: 10)
            #expect(audit.map(\.outcome) == ["refused", "requested"])
            #expect(audit.allSatisfy { $0.action == "release.start" && $0.target == "gateway" && $0.actor == "admin" })
            // Audited by the release runner, whichever entry point asked: the detail says why in words.
            #expect(audit[0].detail?.hasPrefix("nothing of gateway is live yet") == true, "\(audit[0])")
        }
    }

    @Test func promoteAndAbortAreJournaledAsControlEvents() async throws {
        try await DaemonHarness.with { yardd in
            try await Seed.release(yardd.store, id: "rel-1")
            let promote = try await yardd.post("/v1/releases/rel-1/promote")
            #expect(promote.status == 202)
            let abort = try await yardd.post("/v1/releases/rel-1/abort", ["reason": "p99 looks odd"])
            #expect(abort.status == 202)
            let journal = try await yardd.store.journal(release: "rel-1")
            #expect(journal.map(\.message).suffix(2) == ["control: promote", "control: abort: p99 looks odd"])
            #expect(journal.compactMap(ReleaseControlJournal.read) == [.promote, .abort(reason: "p99 looks odd")])
            let audit = try await yardd.store.listAudit(limit: 10).reversed().map { "\($0.action) \($0.target) \($0.outcome)" }
            #expect(audit == ["release.promote rel-1 requested", "release.promote rel-1 accepted",
                              "release.abort rel-1 requested", "release.abort rel-1 accepted"])
        }
    }

    @Test func anAbortWhoseReasonIsPromoteIsJournaledAsAnAbort() async throws {
        try await DaemonHarness.with { yardd in
            try await Seed.release(yardd.store, id: "rel-1")
            let abort = try await yardd.post("/v1/releases/rel-1/abort", ["reason": "promote"])
            #expect(abort.status == 202)
            let journal = try await yardd.store.journal(release: "rel-1")
            #expect(journal.compactMap(ReleaseControlJournal.read) == [.abort(reason: "promote")])
            var machine = try #require(try await yardd.store.release(id: "rel-1")).machine
            for request in journal.compactMap(ReleaseControlJournal.read) { _ = machine.control(request) }
            #expect(machine.phase == .rollingBack)
            #expect(machine.reason == "aborted: promote")
        }
    }

    @Test func controllingAnUnknownReleaseIsA404AndStillAudited() async throws {
        try await DaemonHarness.with { yardd in
            let reply = try await yardd.post("/v1/releases/rel-missing/promote")
            #expect(reply.status == 404)
            #expect(reply.errorCode == "not-found")
            let audit = try await yardd.store.listAudit(limit: 10)
            #expect(audit.map(\.outcome) == ["refused", "requested"])
        }
    }
}
