import Foundation
import SwitchyardCore

/// Loses a primary for real, on its host (this machine or one over SSH), and has a replica promoted. Lost is either
/// killed (the postmaster frozen with SIGSTOP, so it forks nothing more, every child of it and then itself SIGKILLed, as
/// when the machine dies: no shutdown checkpoint, no goodbye to clients or standbys), or cut off (its port dropped in
/// and out on its host: it runs on as a primary nobody reaches). Then the replica is promoted as its member says, or,
/// with a failover manager, the drill waits for another member to answer as primary.
struct PostgresFailover: Sendable {
    var loss: PrimaryLoss

    enum Failure: Error, Sendable, CustomStringConvertible {
        case notRunning(String, dataDirectory: String, host: String)
        case promotionFailed(String, String)
        case replicaHostUnreachable(String, host: String, why: String)

        var description: String {
            switch self {
            case .notRunning(let member, let data, let host):
                "primary \(member) has no live postmaster (\(data)/postmaster.pid on \(host)); nothing was broken"
            case .replicaHostUnreachable(let member, let host, let why):
                "the replica to promote, \(member), cannot be acted on at \(host): \(why); nothing was broken"
            case .promotionFailed(let member, let why): "the primary was lost, but promoting \(member) failed: \(why); the restore brings the old primary back"
            }
        }
    }

    /// How often the members are asked for their role while the drill waits for a failover manager.
    static let managerPoll: Duration = .milliseconds(20)

    func perform() async throws -> FailoverOutcome {
        let tools = PostgresMemberTools(loss.primary)
        guard let postmaster = try await tools.postmasterPID() else {
            throw Failure.notRunning(loss.primary.name, dataDirectory: loss.primary.dataDirectory, host: tools.shell.hostName)
        }
        if case .drillPromotes = loss.failover, case .pgCtl = loss.replica.promote {
            // The replica's host answers before anything is broken; over SSH this also opens the connection the promotion
            // then reuses, so that it does not pay for the handshake.
            let replicaTools = PostgresMemberTools(loss.replica)
            do { _ = try await replicaTools.script("reach \(loss.replica.name)'s host", "true", []) } catch {
                throw Failure.replicaHostUnreachable(loss.replica.name, host: replicaTools.shell.hostName, why: "\(error)")
            }
        }
        let lost: PostgresMemberTools.Loss
        switch loss.how {
        case .kill: lost = try await tools.killPostmaster(postmaster)
        case .networkCut(let tag): lost = try await tools.cutOff(tag: tag)
        }
        let killedAt = lost.at
        func after(_ instant: ContinuousClock.Instant) -> String { "\(Int(((instant - killedAt) / .milliseconds(1)).rounded())) ms after the loss" }
        switch loss.failover {
        case .drillPromotes:
            let promotedAt = try await promote(loss.replica)
            return FailoverOutcome(killedAt: killedAt, promoted: .init(member: loss.replica, at: promotedAt), awaitedManager: nil,
                                   detail: "\(lost.detail); \(loss.replica.name) promoted (\(loss.replica.promote.summary)) and answering as primary \(after(promotedAt))")
        case .manager(let timeout):
            let wait = timeout.duration
            if let promoted = await awaitPrimary(since: killedAt, within: wait) {
                return FailoverOutcome(killedAt: killedAt, promoted: promoted, awaitedManager: wait,
                                       detail: "\(lost.detail); the drill promoted nothing: \(promoted.member.name) answered as primary \(after(promoted.at)), "
                                           + "promoted by the failover manager (waited up to \(timeout))")
            }
            return FailoverOutcome(killedAt: killedAt, promoted: nil, awaitedManager: wait,
                                   detail: "\(lost.detail); no other member answered as primary within \(timeout) of the loss: the failover manager did not promote one")
        }
    }

    /// Promotes `replica` as its member says; when it answers as primary.
    private func promote(_ replica: DatastoreMember) async throws -> ContinuousClock.Instant {
        do {
            switch replica.promote {
            case .pgCtl:
                try await PostgresMemberTools(replica).run("pg_ctl", ["-D", replica.dataDirectory, "-w", "-t", "60", "promote"])
            case .command(let argv):
                let result = try await ChildProcess.run(argv, timeout: .seconds(300))
                guard result.succeeded else {
                    throw PostgresMemberTools.Failure.failed(argv.joined(separator: " "), host: LocalHostShell().hostName, status: result.status, output: result.output)
                }
            case .http(let request):
                try await FailoverManagerCall(request: request).perform()
            }
        } catch {
            throw Failure.promotionFailed(replica.name, "\(error)")
        }
        // pg_ctl promote -w returns once the control file says "in production", a moment before the server answers
        // pg_is_in_recovery() = false: promoted is when it answers as the primary.
        let returned = ContinuousClock.now
        while PostgresSession.LiveRole.primary != (await PostgresSession.role(of: replica.address, as: loss.clients)) {
            guard ContinuousClock.now - returned < .seconds(60) else { throw Failure.promotionFailed(replica.name, "promoted, but not answering as primary after 60 s") }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return ContinuousClock.now
    }

    /// The first of the other members to answer as primary within `wait` of the kill, and when it did.
    private func awaitPrimary(since killedAt: ContinuousClock.Instant, within wait: Duration) async -> FailoverOutcome.Promoted? {
        repeat {
            for member in loss.others {
                let remaining = wait - (ContinuousClock.now - killedAt)
                guard remaining > .zero else { return nil }
                if case .primary = await PostgresSession.role(of: member.address, as: loss.clients, timeout: min(remaining, .seconds(1))) {
                    return FailoverOutcome.Promoted(member: member, at: ContinuousClock.now)
                }
            }
            try? await Task.sleep(for: Self.managerPoll)
        } while ContinuousClock.now - killedAt < wait
        return nil
    }
}
