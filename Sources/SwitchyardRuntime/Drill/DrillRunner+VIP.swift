import Foundation
import SwitchyardCore

/// The watch of a keepalived pair's virtual address while one node is cut off: when the cut began, and the poll of the
/// other nodes (over their shells) that finds the address on one of them.
struct VIPWatch: Sendable {
    var cut: VIPCut
    var startedAt: ContinuousClock.Instant
    var polling: Task<(node: String, at: ContinuousClock.Instant)?, Never>?
}

extension DrillRunner {
    /// How often the other nodes are asked for the virtual address while the fault holds.
    static let vipPollInterval: Duration = .milliseconds(50)

    /// How often the drill's traffic takes a fresh client (users arriving). A client whose connections went to the cut
    /// node backs off new ones, so users are first served through the moved address at the next fresh client: every
    /// second would put the first answer up to a second after the takeover, too coarse to set beside it. When a
    /// keepalived node is cut, a fresh client every 250 ms.
    var clientPeriod: Duration {
        if case .lbNodeKill = context.playbook.fault, context.balancer.isKeepalivedPair { return .milliseconds(250) }
        return .seconds(1)
    }

    /// Just before a keepalived node is cut: the traffic marks the instant (for the first answer after it), the watch notes it.
    func beginVIPWatch(_ plan: FaultPlan) async {
        guard let cut = plan.vipCut else { return }
        await traffic?.markOutage()
        vipWatch = VIPWatch(cut: cut, startedAt: ContinuousClock.now)
    }

    /// Right after the cut: the other nodes are asked until one carries the address (at most the fault window and 30 s).
    /// Nothing to watch when the cut node did not hold the address.
    func pollVIP() {
        guard var watch = vipWatch, watch.cut.holder == watch.cut.node, let pair = try? KeepalivedPair(balancer: watch.cut.balancer) else { return }
        let deadline = watch.startedAt + context.playbook.duration.duration + .seconds(30)
        let peers = watch.cut.peers
        watch.polling = Task { await pair.firstCarrying(peers, every: Self.vipPollInterval, until: deadline) }
        vipWatch = watch
    }

    /// Before the restore: where the address went and when, and when users were served through it again, into the report.
    func recordVIPFailover() async {
        guard let watch = vipWatch else { return }
        vipWatch = nil
        // A poll that found the address has its answer; one still asking stops now, the fault is over.
        watch.polling?.cancel()
        let seen = await watch.polling?.value ?? nil
        let served = await traffic?.servedAgain()
        let failover = VIPFailover(address: watch.cut.address, from: watch.cut.node, to: seen?.node, fault: watch.cut.fault,
                                   takeover: seen.map { ($0.at - watch.startedAt).seconds }, servedAgain: served?.seconds,
                                   pollInterval: Self.vipPollInterval.seconds)
        report.vipFailover = failover
        await step("vip", seen == nil ? "failed" : "done", failover.summary)
    }
}
