import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Promote and abort are typed requests in the journal: an abort's reason is only ever a reason.
@Suite(.serialized)
struct ReleaseControlTests {
    @Test func anAbortWhoseReasonIsPromoteAbortsTheRelease() async throws {
        try await ReleaseHarness.with(basePort: 33500) { harness in
            let runner = ReleaseRunner(context: try harness.context())
            async let summary = runner.release(version: "2.0.0", manual: true)
            var waiting: ReleaseRecord?
            for _ in 0..<200 {
                if let record = try await harness.store.listReleases(ReleaseQuery(limit: 1)).first, record.phase == .awaitingPromotion { waiting = record; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let record = try #require(waiting)
            // What `yard release abort ID --reason promote` sends.
            try await ReleaseControlJournal.send(.abort(reason: "promote"), release: record.id, store: harness.store, actor: "test")
            let result = try await summary
            #expect(result.outcome == .rolledBack)
            #expect(result.reason == "aborted: promote")
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
            let journal = try await harness.store.journal(release: record.id)
            #expect(journal.compactMap(ReleaseControlJournal.read) == [.abort(reason: "promote")])
            // A release that is over takes no more requests.
            await #expect(throws: ReleaseControlJournal.Failure.over(record.id, state: "rolled-back")) {
                try await ReleaseControlJournal.send(.promote, release: record.id, store: harness.store, actor: "test")
            }
        }
    }

    @Test func aFreeTextEventIsNotARequest() {
        let entry = JournalEntry(release: "r", sequence: 1, at: Date(), kind: .event, status: .done, payload: nil, message: "control: promote")
        #expect(ReleaseControlJournal.read(entry) == nil)
    }
}
