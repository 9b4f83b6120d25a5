import Foundation
import Testing
@testable import SwitchyardRuntime

/// The audit log and drill runs with their crash-safe restore actions.
@Suite(.postgres)
struct AuditAndDrillTests {
    @Test(arguments: StoreKind.allCases) func auditIsNewestFirstAndLimited(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        for i in 0..<5 {
            let stored = try await store.appendAudit(AuditEntry(at: Fixtures.t(i), actor: "alice", action: "release", target: "gateway", outcome: "accepted",
                                                                detail: i == 4 ? "version 2.0" : nil))
            #expect(stored.id == Int64(i + 1))
        }
        let newest = try await store.listAudit(limit: 2)
        #expect(newest.map(\.at) == [Fixtures.t(4), Fixtures.t(3)])
        #expect(newest[0].detail == "version 2.0" && newest[1].detail == nil && newest[0].actor == "alice")
        #expect(try await store.listAudit(limit: 100).count == 5)
    }

    @Test(arguments: StoreKind.allCases) func drillRunLifecycle(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let run = try await store.createDrillRun(id: "drill-1", playbook: "zone-loss", status: "running", now: Fixtures.t0)
        #expect(run.finishedAt == nil)
        await #expect(throws: StateStoreError.drillRunExists(id: "drill-1")) {
            try await store.createDrillRun(id: "drill-1", playbook: "zone-loss", status: "running", now: Fixtures.t0)
        }
        _ = try await store.createDrillRun(id: "drill-2", playbook: "lb-loss", status: "running", now: Fixtures.t(1))
        #expect(try await store.unfinishedDrillRuns().map(\.id) == ["drill-1", "drill-2"])

        let report = try JSONText(encoding: ["verdict": "passed"])
        let finished = try await store.updateDrillRun(id: "drill-1", status: "passed", report: report, finished: true, now: Fixtures.t(60))
        #expect(finished.finishedAt == Fixtures.t(60) && finished.report == report && finished.status == "passed")
        #expect(try await store.drillRun(id: "drill-1") == finished)
        #expect(try await store.unfinishedDrillRuns().map(\.id) == ["drill-2"])
        #expect(try await store.listDrillRuns(playbook: nil, limit: 10).map(\.id) == ["drill-2", "drill-1"])
        #expect(try await store.listDrillRuns(playbook: "zone-loss", limit: 10).map(\.id) == ["drill-1"])
        await #expect(throws: StateStoreError.drillRunNotFound(id: "drill-9")) {
            try await store.updateDrillRun(id: "drill-9", status: "x", report: nil, finished: false, now: Fixtures.t0)
        }
    }

    /// An abort request is stored with the run (the first one's time and reason kept), and read back by any process;
    /// a finished run is left as it was; `DrillAbort` audits it and refuses an unknown or finished run.
    @Test(arguments: StoreKind.allCases) func anAbortRequestIsStoredWithTheRunAndAudited(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        _ = try await store.createDrillRun(id: "drill-1", playbook: "zone-loss", status: "running", now: Fixtures.t0)
        #expect(try await store.drillRun(id: "drill-1")?.abortRequest == nil)
        let asked = try await store.requestDrillAbort(id: "drill-1", reason: "traffic spike", now: Fixtures.t(5))
        #expect(asked?.abortRequest == DrillAbortRequest(at: Fixtures.t(5), reason: "traffic spike"))
        _ = try await store.requestDrillAbort(id: "drill-1", reason: "second thoughts", now: Fixtures.t(6))
        #expect(try await store.drillRun(id: "drill-1")?.abortRequest == DrillAbortRequest(at: Fixtures.t(5), reason: "traffic spike"))
        #expect(try await store.requestDrillAbort(id: "drill-9", reason: "x", now: Fixtures.t0) == nil)

        _ = try await store.createDrillRun(id: "drill-2", playbook: "zone-loss", status: "running", now: Fixtures.t0)
        try await store.updateDrillRun(id: "drill-2", status: "passed", report: nil, finished: true, now: Fixtures.t(9))
        #expect(try await store.requestDrillAbort(id: "drill-2", reason: "late", now: Fixtures.t(10))?.abortRequest == nil)

        await #expect(throws: DrillAbort.Failure.over("drill-2", status: "passed")) {
            try await DrillAbort.send(run: "drill-2", reason: "late", store: store, actor: "alice")
        }
        await #expect(throws: DrillAbort.Failure.unknownRun("drill-9")) {
            try await DrillAbort.send(run: "drill-9", reason: "x", store: store, actor: "alice")
        }
        _ = try await store.createDrillRun(id: "drill-3", playbook: "zone-loss", status: "running", now: Fixtures.t0)
        try await DrillAbort.send(run: "drill-3", reason: "stop it", store: store, actor: "alice")
        let audit = try await store.listAudit(limit: 10).filter { $0.target == "drill-3" }
        #expect(audit.map(\.outcome) == ["accepted", "requested"])
        #expect(audit.allSatisfy { $0.action == "drill.abort" && $0.actor == "alice" })
        #expect(try await store.listAudit(limit: 10).filter { $0.target == "drill-2" }.map(\.outcome) == ["refused", "requested"])
    }

    @Test(arguments: StoreKind.allCases) func pendingRestoreActionsSurviveARestart(_ kind: StoreKind) async throws {
        let folder = try await kind.place()
        do {
            let store = try await folder.open()
            _ = try await store.createDrillRun(id: "drill-1", playbook: "zone-loss", status: "running", now: Fixtures.t0)
            try await store.appendRestoreAction(run: "drill-1", action: try JSONText(encoding: ["start": "gateway/a/green/0"]), now: Fixtures.t(1))
            try await store.appendRestoreAction(run: "drill-1", action: try JSONText(encoding: ["start": "gateway/a/green/1"]), now: Fixtures.t(2))
            try await store.markRestoreDone(run: "drill-1", sequence: 2, now: Fixtures.t(3))
        }
        let store = try await folder.open()
        let pending = try await store.pendingRestoreActions(run: nil)
        #expect(pending.map(\.sequence) == [1])
        #expect(pending[0].action.text == #"{"start":"gateway/a/green/0"}"#)
        let done = try await store.markRestoreDone(run: "drill-1", sequence: 1, now: Fixtures.t(10))
        #expect(done.doneAt == Fixtures.t(10))
        #expect(try await store.pendingRestoreActions(run: "drill-1").isEmpty)
        await #expect(throws: StateStoreError.restoreActionNotFound(run: "drill-1", sequence: 5)) {
            try await store.markRestoreDone(run: "drill-1", sequence: 5, now: Fixtures.t(10))
        }
        await #expect(throws: StateStoreError.drillRunNotFound(id: "nope")) {
            try await store.appendRestoreAction(run: "nope", action: JSONText(text: "{}"), now: Fixtures.t(10))
        }
    }
}
