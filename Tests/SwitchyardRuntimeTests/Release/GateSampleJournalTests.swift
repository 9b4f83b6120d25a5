import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Gate measurements kept in the journal as typed events: read back as written, and never taken for a control
/// request (nor a control request for a sample).
struct GateSampleJournalTests {
    @Test func aSampleReadsBackAndIsNoControlRequest() throws {
        let sample = GateSampleJournal.Sample(gate: "errors", stage: "bake", measurement: .fail(0.2, "error-rate 20% > 5%"),
                                              verdict: .failed(reason: "errors: too many"))
        let draft = try GateSampleJournal.draft(sample)
        let entry = JournalEntry(release: "rel-1", sequence: 4, at: Date(), kind: draft.kind, status: draft.status, payload: draft.payload,
                                 message: draft.message)
        #expect(GateSampleJournal.read(entry) == sample)
        #expect(sample.verdict == "failed")
        #expect(sample.value == 0.2)
        #expect(entry.message == "errors (bake): fail: error-rate 20% > 5%")
        #expect(ReleaseControlJournal.read(entry) == nil)

        let control = try ReleaseControlJournal.draft(.promote)
        let controlEntry = JournalEntry(release: "rel-1", sequence: 5, at: Date(), kind: control.kind, status: control.status,
                                        payload: control.payload, message: control.message)
        #expect(GateSampleJournal.read(controlEntry) == nil)
        #expect(ReleaseControlJournal.read(controlEntry) == .promote)
    }
}
