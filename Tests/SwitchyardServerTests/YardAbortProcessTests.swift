import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// `yard release abort ID --reason promote`, the CLI as a process on the local state file: the journal
/// holds a typed abort whose reason is the text "promote", never a promote.
@Suite(.serialized) struct YardAbortProcessTests {
    @Test func anAbortWhoseReasonIsPromoteIsAnAbort() async throws {
        let workspace = try FleetWorkspace(basePort: 33760, bake: "2s")
        do {
            let store = try workspace.store()
            try await Seed.release(store, id: "rel-cli")
            let abort = try await ProcessRunner.run("yard", ["release", "abort", "rel-cli", "--reason", "promote"], in: workspace.folder)
            #expect(abort.status == 0, "\(abort.err)")
            #expect(abort.out.contains("rel-cli: abort requested"), "\(abort.out)")
            let journal = try await store.journal(release: "rel-cli")
            #expect(journal.compactMap(ReleaseControlJournal.read) == [.abort(reason: "promote")])
            let promote = try await ProcessRunner.run("yard", ["release", "promote", "rel-cli"], in: workspace.folder)
            #expect(promote.status == 0, "\(promote.err)")
            #expect(try await store.journal(release: "rel-cli").compactMap(ReleaseControlJournal.read) == [.abort(reason: "promote"), .promote])
        } catch {
            await workspace.tearDown()
            throw error
        }
        await workspace.tearDown()
    }
}
