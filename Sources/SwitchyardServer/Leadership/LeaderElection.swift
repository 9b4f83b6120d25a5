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

    private func renew(_ lease: LockLease) async {
        do {
            let renewed = try await store.renewLock(lease.fence, lease: settings.lease, now: Date())
            renewedAt = clock.now
            leadership.set(.leading(renewed))
        } catch {
            switch error {
            case .fenced(_, let current):
                await stepDown(lease, because: "its lease was taken over by \(current.map { LeaderIdentity(holder: $0).description } ?? "nobody")")
            case .lockNotHeld(_, _, let current):
                await stepDown(lease, because: "its lease was taken over by \(current.map { LeaderIdentity(holder: $0).description } ?? "nobody")")
            default:
                let since = renewedAt.map { clock.now - $0 } ?? settings.lease
                if since >= settings.actFor {
                    await stepDown(lease, because: "it could not renew its lease for \(String(format: "%.1f", Double(since.components.seconds) + Double(since.components.attoseconds) / 1e18)) s: \(error)")
                } else {
                    logger.warning("cannot renew the leadership lease (will stop leading if this lasts \(settings.actFor)): \(error)")
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

    private func compete(as me: LeaderIdentity) async {
        _ = await store.freeLockIfHolderDied(Leadership.lockName)
        do {
            let lease = try await store.acquireLock(name: Leadership.lockName, holder: me.holder, lease: settings.lease, now: Date())
            renewedAt = clock.now
            leadership.set(.leading(lease))
            metrics.leaderChanged("elected")
            metrics.leadership(leading: true, generation: lease.generation)
            logger.notice("leading as \(me) (generation \(lease.generation))")
            duties.begin()
        } catch {
            switch error {
            case .lockHeld(_, let holder, _):
                let leader = LeaderIdentity(holder: holder)
                if case .following(let known) = leadership.role, known == leader {} else {
                    logger.notice("standby: \(leader) leads")
                }
                leadership.set(.following(leader))
                let generation = (try? await store.lock(name: Leadership.lockName))?.generation ?? 0
                metrics.leadership(leading: false, generation: generation)
            default:
                if leadership.leader != nil || leadership.roleName == "electing" { logger.error("cannot take part in the leader election: \(error)") }
                leadership.set(.following(nil))
            }
            await duties.follow()
        }
    }
}
