import Foundation
import SwitchyardCore

/// Where Switchyard keeps what it must not forget across a `kill -9`: releases and their journals, the
/// instances and load balancers it started, what the load balancer routes, locks, the audit log and drill runs.
///
/// Every method is `async throws(StateStoreError)`; each call is one transaction, so what a call writes is
/// all there or not at all. Nothing reads the clock: every method that stamps a time takes `now`.
/// Implementations: `SQLiteStateStore` (one file shared by the CLI and the daemon); PostgreSQL later.
public protocol StateStore: Sendable {
    // MARK: releases

    /// Creates the release record from the machine (service, topology and version come from its plan) and
    /// appends `journal` to it, in one transaction. Fails with `.releaseExists` if the id is taken.
    func createRelease(_ release: NewRelease, journal: [JournalDraft], now: Date) async throws(StateStoreError) -> ReleaseRecord

    /// Stores the machine's new snapshot (and its phase, outcome and reason columns) together with
    /// `journal`, in one transaction; sets `finishedAt` the first time the machine is terminal.
    /// Returns the appended entries, with their sequence numbers.
    /// With `routing`, the load balancer's new routing is committed in the same transaction (the action that changed
    /// it completes with it). With `fences`, refused with `.fenced` (nothing written) unless each lease still holds,
    /// checked in the same transaction.
    @discardableResult
    func saveRelease(id: String, machine: ReleaseMachine, journal: [JournalDraft], routing: RoutingCommit?, fences: [LeaseFence],
                     now: Date) async throws(StateStoreError) -> [JournalEntry]

    func release(id: String) async throws(StateStoreError) -> ReleaseRecord?

    /// Newest first.
    func listReleases(_ query: ReleaseQuery) async throws(StateStoreError) -> [ReleaseRecord]

    /// Releases without `finishedAt`, oldest first: what to resume (or roll back) after a crash.
    func unfinishedReleases() async throws(StateStoreError) -> [ReleaseRecord]

    // MARK: journal

    /// Appends entries in order; sequence numbers continue the release's journal.
    /// With `fences`, refused with `.fenced` (nothing written) unless each lease still holds, checked in the same transaction.
    @discardableResult
    func appendJournal(release: String, _ entries: [JournalDraft], fences: [LeaseFence], now: Date) async throws(StateStoreError) -> [JournalEntry]

    /// The whole journal of a release, by sequence.
    func journal(release: String) async throws(StateStoreError) -> [JournalEntry]

    /// The entries of a release's journal after sequence `after`, by sequence: what a follower has not seen yet.
    func journal(release: String, after: Int) async throws(StateStoreError) -> [JournalEntry]

    /// Every `action started` entry with no `done`/`failed` entry completing it, by sequence: what the
    /// process was doing when it died.
    func pendingActions(release: String) async throws(StateStoreError) -> [JournalEntry]

    // MARK: instances

    /// Records a started instance. A live record for the same instance id (service, zone, slot, index) is
    /// marked stopped at `record.startedAt` in the same transaction: there is one live record per instance.
    func recordInstanceStarted(_ record: InstanceRecord) async throws(StateStoreError)

    /// Marks the live record of `id` stopped; returns false when there was none.
    @discardableResult
    func markInstanceStopped(_ id: InstanceID, now: Date) async throws(StateStoreError) -> Bool

    /// The live records of a service (of one slot when given), by zone, slot and index.
    func liveInstances(service: String, slot: Slot?) async throws(StateStoreError) -> [InstanceRecord]

    /// Deletes every record (live or stopped) of `id`; returns how many.
    @discardableResult
    func removeInstance(_ id: InstanceID) async throws(StateStoreError) -> Int

    // MARK: routing

    /// Commits what the load balancer now routes: each zone in `live` is set to its slot and each slot in
    /// `versions` to its version; zones and slots not named are left as they were.
    func commitRouting(service: String, live: Routing, versions: [Slot: String], now: Date) async throws(StateStoreError)

    /// Nil when nothing was ever committed for the service.
    func routing(service: String) async throws(StateStoreError) -> ServiceRouting?

    func recordLoadBalancer(name: String, masterPID: Int32, now: Date) async throws(StateStoreError)
    func loadBalancer(name: String) async throws(StateStoreError) -> LoadBalancerRecord?
    @discardableResult
    func removeLoadBalancer(name: String) async throws(StateStoreError) -> Bool

    // MARK: locks

    /// Takes the lock when it is free or its lease has ended, renews it when `holder` already holds it;
    /// otherwise fails with `.lockHeld` naming the holder and the end of its lease. Atomic across processes.
    @discardableResult
    func acquireLock(name: String, holder: String, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease

    /// Extends the lease of a lock `holder` holds (even if the lease ran out, as long as nobody took it
    /// over); otherwise fails with `.lockNotHeld`.
    @discardableResult
    func renewLock(name: String, holder: String, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease

    /// Extends the lease `fence` was taken with, only while its holder holds it at that generation; otherwise `.fenced`.
    @discardableResult
    func renewLock(_ fence: LeaseFence, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease

    /// Fails with `.fenced` unless every lease still holds: the check before an action on the world.
    func checkFences(_ fences: [LeaseFence]) async throws(StateStoreError)

    /// Releases the lock if `holder` holds it; returns false otherwise (nothing to release, or it was taken over).
    @discardableResult
    func releaseLock(name: String, holder: String) async throws(StateStoreError) -> Bool

    /// The lock's last lease, expired or not; nil when free.
    func lock(name: String) async throws(StateStoreError) -> LockLease?

    // MARK: audit

    /// Appends an entry; returns it with its id.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws(StateStoreError) -> AuditEntry

    /// Newest first.
    func listAudit(limit: Int) async throws(StateStoreError) -> [AuditEntry]

    // MARK: capacity

    /// Keeps what a capacity search found.
    func recordCapacityMeasurement(_ measurement: CapacityMeasurement) async throws(StateStoreError)
    /// The newest measurement of `service`, if any.
    func latestCapacityMeasurement(service: String) async throws(StateStoreError) -> CapacityMeasurement?
    /// Keeps a capacity plan's forecast report (the last few per plan are kept).
    func recordCapacityReport(plan: String, report: ForecastReport, at: Date) async throws(StateStoreError)
    /// The newest report of `plan`, with when it was computed.
    func latestCapacityReport(plan: String) async throws(StateStoreError) -> (at: Date, report: ForecastReport)?

    // MARK: drill runs

    func createDrillRun(id: String, playbook: String, status: String, now: Date) async throws(StateStoreError) -> DrillRunRecord

    /// Sets the status, and the report when given; `finished` sets `finishedAt` (once). With `fences`, refused with
    /// `.fenced` (nothing written) unless each lease still holds, checked in the same transaction.
    @discardableResult
    func updateDrillRun(id: String, status: String, report: JSONText?, finished: Bool, fences: [LeaseFence], now: Date) async throws(StateStoreError) -> DrillRunRecord

    func drillRun(id: String) async throws(StateStoreError) -> DrillRunRecord?

    /// Newest first, of one playbook when given.
    func listDrillRuns(playbook: String?, limit: Int) async throws(StateStoreError) -> [DrillRunRecord]

    /// Records that someone asks run `id` to stop early (the first request's time and reason are kept); nil when there is
    /// no such run. A finished run is returned as it is, without the request.
    @discardableResult
    func requestDrillAbort(id: String, reason: String, now: Date) async throws(StateStoreError) -> DrillRunRecord?

    /// Runs without `finishedAt`, oldest first.
    func unfinishedDrillRuns() async throws(StateStoreError) -> [DrillRunRecord]

    /// Journals an undo step, before the fault it undoes is injected; fenced like `updateDrillRun`.
    @discardableResult
    func appendRestoreAction(run: String, action: JSONText, fences: [LeaseFence], now: Date) async throws(StateStoreError) -> RestoreAction

    @discardableResult
    func markRestoreDone(run: String, sequence: Int, now: Date) async throws(StateStoreError) -> RestoreAction

    /// Restore actions not done yet, of one run or (nil) of every run, by run (oldest first) and sequence. Undo them in
    /// reverse sequence order within a run.
    func pendingRestoreActions(run: String?) async throws(StateStoreError) -> [RestoreAction]

    // MARK: drill schedules

    /// What the scheduler has decided for a playbook's schedule; nil when it was never evaluated.
    func scheduleState(playbook: String) async throws(StateStoreError) -> ScheduleState?

    /// Replaces the playbook's schedule state. The daemon saves it before it acts on an evaluation, so a
    /// crash never fires the same time twice.
    func saveScheduleState(playbook: String, _ state: ScheduleState, now: Date) async throws(StateStoreError)

    // MARK: API tokens

    /// Stores a token by the SHA-256 (hex) of its secret; fails with `.tokenExists` when the name is taken.
    @discardableResult
    func createToken(name: String, role: TokenRole, hash: String, now: Date) async throws(StateStoreError) -> TokenRecord

    /// Deletes the token; returns false when there was none of that name.
    @discardableResult
    func revokeToken(name: String) async throws(StateStoreError) -> Bool

    /// Every token, by name.
    func tokens() async throws(StateStoreError) -> [TokenRecord]

    /// The token whose secret hashes to `hash`.
    func token(hash: String) async throws(StateStoreError) -> TokenRecord?
}

extension StateStore {
    @discardableResult
    public func updateDrillRun(id: String, status: String, report: JSONText?, finished: Bool, now: Date) async throws(StateStoreError) -> DrillRunRecord {
        try await updateDrillRun(id: id, status: status, report: report, finished: finished, fences: [], now: now)
    }

    @discardableResult
    public func appendRestoreAction(run: String, action: JSONText, now: Date) async throws(StateStoreError) -> RestoreAction {
        try await appendRestoreAction(run: run, action: action, fences: [], now: now)
    }

    @discardableResult
    public func saveRelease(id: String, machine: ReleaseMachine, journal: [JournalDraft], now: Date) async throws(StateStoreError) -> [JournalEntry] {
        try await saveRelease(id: id, machine: machine, journal: journal, routing: nil, fences: [], now: now)
    }

    @discardableResult
    public func appendJournal(release: String, _ entries: [JournalDraft], now: Date) async throws(StateStoreError) -> [JournalEntry] {
        try await appendJournal(release: release, entries, fences: [], now: now)
    }

    public func createRelease(_ release: NewRelease, now: Date) async throws(StateStoreError) -> ReleaseRecord {
        try await createRelease(release, journal: [], now: now)
    }

    /// The last action started and not completed: what the process was doing when it died.
    public func pendingAction(release: String) async throws(StateStoreError) -> JournalEntry? {
        try await pendingActions(release: release).last
    }

    /// Appends the `done` or `failed` entry for the action started in entry `sequence`.
    @discardableResult
    public func completeAction(release: String, sequence: Int, failed: Bool = false, message: String, now: Date) async throws(StateStoreError) -> JournalEntry {
        let entries = try await appendJournal(release: release, [.completion(of: sequence, failed: failed, message: message)], now: now)
        return entries[0]
    }

    public func liveInstances(service: String) async throws(StateStoreError) -> [InstanceRecord] {
        try await liveInstances(service: service, slot: nil)
    }
}
