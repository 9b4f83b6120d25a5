import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

@Suite(.serialized) struct ResumeAtStartTests {
    @Test func anUnfinishedReleaseIsResumedBeforeMutationsAreServed() async throws {
        let started = ContinuousClock.now
        try await DaemonHarness.with(seed: { store in
            try await Seed.release(store, id: "rel-crashed", version: "2.0")
        }, makeContext: StalledInstanceDriver.factory, afterShutdown: { store in
            // Stopped, not ended: the next start resumes it again.
            let unfinished: [ReleaseRecord] = try await store.unfinishedReleases()
            #expect(unfinished.map(\.id) == ["rel-crashed"])
        }) { yardd in
            #expect(try await yardd.get("/readyz").status == 200)
            let journal = try await yardd.store.journal(release: "rel-crashed").map(\.message)
            #expect(journal.contains("resumed in phase planned by yardd"))
            #expect(try await yardd.store.lock(name: "release/local/gateway")?.holder == "rel-crashed")
            #expect(await yardd.daemon.releases.running == 1)

            // The resumed release holds the service: a second one is refused with its id.
            try await yardd.store.commitRouting(service: "gateway", live: ["zone-a": .blue, "zone-b": .blue], versions: [.blue: "1.0"], now: Date())
            let reply = try await yardd.post("/v1/releases", ["service": "gateway", "version": "3.0"])
            #expect(reply.status == 409)
            #expect(((reply.object["error"] as? [String: Any])?["details"] as? [String: String])?["holder"] == "rel-crashed")
        }
        // Graceful shutdown cancelled the runner rather than waiting for its deploy.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
