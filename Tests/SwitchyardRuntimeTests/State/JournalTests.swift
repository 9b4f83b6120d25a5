import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// The journal: written before and after each action, so a restarted process knows what it was doing.
@Suite(.postgres)
struct JournalTests {
    static func started(_ store: any StateStore) async throws -> ReleaseMachine {
        var machine = ReleaseMachine(plan: Fixtures.plan())
        let actions = machine.start()
        _ = try await store.createRelease(NewRelease(id: "rel-1", startedBy: "ci", machine: machine, now: Fixtures.t0),
                                          journal: try actions.map { action throws(StateStoreError) in try JournalDraft.actionStarted(action, message: "deploy") },
                                          now: Fixtures.t0)
        return machine
    }

    @Test(arguments: StoreKind.allCases) func entriesKeepOrderKindStatusAndPayload(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        _ = try await Self.started(store)
        try await store.appendJournal(release: "rel-1", [.note("operator note"), try .event(encoding: ["ok": "true"], message: "deployed")], now: Fixtures.t(3))
        let done = try await store.completeAction(release: "rel-1", sequence: 1, message: "4 instances ready", now: Fixtures.t(4))
        let journal = try await store.journal(release: "rel-1")
        #expect(journal.map(\.sequence) == [1, 2, 3, 4])
        #expect(journal.map(\.kind) == [.action, .note, .event, .action])
        #expect(journal.map(\.status) == [.started, .done, .done, .done])
        #expect(journal[0].at == Fixtures.t0 && journal[3].at == Fixtures.t(4))
        #expect(try journal[0].action() == .deploy(zones: ["a", "b"], slot: .green, version: "2.0"))
        #expect(done.completes == 1 && done.payload == journal[0].payload, "the completion carries the action it completes")
        #expect(journal[2].payload?.text == #"{"ok":"true"}"#)
    }

    @Test(arguments: StoreKind.allCases) func pendingActionAfterACrashIsTheStartedOneWithoutDone(_ kind: StoreKind) async throws {
        let folder = try await kind.place()
        do {
            let store = try await folder.open()
            var machine = try await Self.started(store)
            try await store.completeAction(release: "rel-1", sequence: 1, message: "ready", now: Fixtures.t(1))
            let actions = machine.deployed(ok: true, detail: "ready")
            // The runner journals the route before reloading nginx, then the process is killed.
            try await store.saveRelease(id: "rel-1", machine: machine,
                                        journal: [.event(message: "deployed"), try .actionStarted(actions[0], message: "switch to green")],
                                        now: Fixtures.t(2))
        }
        // A new process opens the same file.
        let store = try await folder.open()
        let unfinished = try await store.unfinishedReleases()
        #expect(unfinished.map(\.id) == ["rel-1"])
        let pending = try #require(try await store.pendingAction(release: "rel-1"))
        #expect(pending.sequence == 4)
        #expect(try pending.action() == .route(["a": .green, "b": .green]))
        #expect(unfinished[0].machine.phase == .switching)

        try await store.completeAction(release: "rel-1", sequence: 4, failed: true, message: "nginx -t failed", now: Fixtures.t(3))
        #expect(try await store.pendingAction(release: "rel-1") == nil)
        #expect(try await store.journal(release: "rel-1").last?.status == .failed)
    }

    @Test(arguments: StoreKind.allCases) func severalPendingActionsComeInOrder(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        _ = try await Self.started(store)
        let more = try await store.appendJournal(release: "rel-1", [
            try .actionStarted(.measure(gate: "ready", zones: ["a"], slot: .green), message: "measure"),
            try .actionStarted(.measure(gate: "p99", zones: ["a"], slot: .green), message: "measure"),
        ], now: Fixtures.t(1))
        try await store.completeAction(release: "rel-1", sequence: more[0].sequence, message: "pass", now: Fixtures.t(2))
        #expect(try await store.pendingActions(release: "rel-1").map(\.sequence) == [1, 3])
        #expect(try await store.pendingAction(release: "rel-1")?.sequence == 3)
    }

    @Test(arguments: StoreKind.allCases) func onlyAStartedActionCanBeCompletedAndOnlyOnce(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        _ = try await Self.started(store)
        try await store.appendJournal(release: "rel-1", [.note("a note")], now: Fixtures.t(1))
        await #expect(throws: StateStoreError.notAStartedAction(release: "rel-1", sequence: 2)) {
            try await store.completeAction(release: "rel-1", sequence: 2, message: "x", now: Fixtures.t(2))
        }
        try await store.completeAction(release: "rel-1", sequence: 1, message: "ok", now: Fixtures.t(2))
        await #expect(throws: StateStoreError.actionAlreadyCompleted(release: "rel-1", sequence: 1)) {
            try await store.completeAction(release: "rel-1", sequence: 1, message: "again", now: Fixtures.t(3))
        }
        await #expect(throws: StateStoreError.releaseNotFound(id: "rel-2")) {
            try await store.appendJournal(release: "rel-2", [.note("x")], now: Fixtures.t(3))
        }
    }
}
