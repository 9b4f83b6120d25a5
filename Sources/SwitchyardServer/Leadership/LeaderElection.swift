import Foundation
import Logging
import ServiceLifecycle
import SwitchyardRuntime

/// Daemons sharing one state store compete for the `yardd:leader` lease; the one holding it leads.
///
/// Every `interval` the leader renews its lease at its generation, and a standby tries to take the lease (free, ended,
/// or held by a process of this host that is provably dead). Each takeover raises the generation, and every write of
/// a leader's releases carries it (`ReleaseContext.leaderFence`), so the store refuses the writes of a deposed leader
/// (frozen with SIGSTOP past its lease, or cut off from the store) in the write's own transaction.
///
/// A leader steps down when its renewal is refused (another took over) or when it could not renew for
/// `ElectionSettings.actFor`: it then stops the releases and drills it drives (each stays journaled) before its lease
/// can end, and competes again. On graceful shutdown it stops them and gives the lease back, so a standby leads at
/// its next look instead of after the lease.
public actor LeaderElection: ServiceLifecycle.Service {
    let store: any StateStore
    let leadership: Leadership
    let settings: ElectionSettings
    let duties: LeaderDuties
    let metrics: DaemonMetrics
    let logger: Logger
    let clock = ContinuousClock()
    /// When the lease was last taken or renewed, on this process's monotonic clock.
    private var renewedAt: ContinuousClock.Instant?
    /// Set once the daemon listens: the election starts then, with the address it advertises.
    private var identity: LeaderIdentity?
    private var waiting: [CheckedContinuation<LeaderIdentity, Never>] = []

    init(store: any StateStore, leadership: Leadership, settings: ElectionSettings, duties: LeaderDuties, metrics: DaemonMetrics, logger: Logger) {
        self.store = store
        self.leadership = leadership
        self.settings = settings
        self.duties = duties
        self.metrics = metrics
        self.logger = logger
    }

    /// Starts the election as the daemon reachable at `identity`.
    func listening(as identity: LeaderIdentity) {
        guard self.identity == nil else { return }
        self.identity = identity
        leadership.identify(identity)
        for waiter in waiting { waiter.resume(returning: identity) }
        waiting = []
    }

    private func waitForIdentity() async -> LeaderIdentity {
        if let identity { return identity }
        return await withCheckedContinuation { waiting.append($0) }
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { [self] in
            let me = await waitForIdentity()
            while !Task.isCancelled {
                await step(as: me)
                try await Task.sleep(for: settings.interval)
            }
        }
        if case .leading(let lease) = leadership.role {
            await duties.end(reason: "yardd is shutting down; the next leader resumes it")
            _ = try? await store.releaseLock(name: Leadership.lockName, holder: lease.holder)
            leadership.set(.electing)
            logger.notice("gave up leadership (generation \(lease.generation)) on shutdown")
        }
    }

    /// One look: a leader renews, anyone else tries to lead.
    func step(as me: LeaderIdentity) async {
        switch leadership.role {
        case .leading(let lease): await renew(lease)
        case .electing, .following: await compete(as: me)
        }
    }

    /// A renewal waits no longer than the leader may still act: a store that stopped answering (gone, frozen, a dropped
    /// network) deposes the leader on time instead of holding it in a call that may never return.
    private func renew(_ lease: LockLease) async {
        let quiet = renewedAt.map { clock.now - $0 } ?? .zero
        let store = self.store, fence = lease.fence, duration = settings.lease
        do {
            let renewed = try await Deadline.run(within: max(settings.actFor - quiet, .milliseconds(100))) {
                try await store.renewLock(fence, lease: duration, now: Date())
            }
            renewedAt = clock.now
            leadership.set(.leading(renewed))
        } catch {
            switch error as? StateStoreError {
            case .fenced(_, let current)?, .lockNotHeld(_, _, let current)?:
                await stepDown(lease, because: "its lease was taken over by \(current.map { LeaderIdentity(holder: $0).description } ?? "nobody")")
            default:
                let since = renewedAt.map { clock.now - $0 } ?? settings.lease
                let reason = error is Deadline.Passed ? "the state store did not answer" : "\(error)"
                if since >= settings.actFor {
                    await stepDown(lease, because: "it could not renew its lease for \(since.formattedSeconds): \(reason)")
                } else {
                    logger.warning("cannot renew the leadership lease (will stop leading if this lasts \(settings.actFor.formattedSeconds)): \(reason)")
                }
            }
        }
    }

    private func stepDown(_ lease: LockLease, because reason: String) async {
        leadership.set(.following(nil))
        metrics.leaderChanged("deposed")
        metrics.leadership(leading: false, generation: lease.generation)
        logger.critical("stopped leading (generation \(lease.generation)): \(reason); stopping what it drives")
        await duties.end(reason: "this yardd no longer leads")
    }

    /// A look as a standby waits at most one lease for the store, so a store that stopped answering cannot hold the
    /// election.
    private func compete(as me: LeaderIdentity) async {
        let store = self.store, lease = settings.lease
        do {
            let won = try await Deadline.run(within: lease) {
                _ = await store.freeLockIfHolderDied(Leadership.lockName)
                return try await store.acquireLock(name: Leadership.lockName, holder: me.holder, lease: lease, now: Date())
            }
            renewedAt = clock.now
            leadership.set(.leading(won))
            metrics.leaderChanged("elected")
            metrics.leadership(leading: true, generation: won.generation)
            logger.notice("leading as \(me) (generation \(won.generation))")
            duties.begin()
        } catch {
            switch error as? StateStoreError {
            case .lockHeld(_, let holder, _)?:
                let leader = LeaderIdentity(holder: holder)
                let newLeader: Bool = switch leadership.role {
                case .following(let known): known != leader
                case .electing, .leading: true
                }
                if newLeader {
                    logger.notice("standby: \(leader) leads")
                    // The generation changes only with the leader.
                    let generation = (try? await Deadline.run(within: lease) { try await store.lock(name: Leadership.lockName) })??.generation ?? 0
                    metrics.leadership(leading: false, generation: generation)
                }
                leadership.set(.following(leader))
            default:
                let wasKnown: Bool = switch leadership.role {
                case .electing: true
                case .following(let leader): leader != nil
                case .leading: true
                }
                let reason = error is Deadline.Passed ? "the state store did not answer within \(lease.formattedSeconds)" : "\(error)"
                if wasKnown { logger.error("cannot take part in the leader election: \(reason)") }
                leadership.set(.following(nil))
            }
            await duties.follow()
        }
    }
}
