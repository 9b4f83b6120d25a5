import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// Loses a primary for real and promotes a replica: the postmaster is frozen (SIGSTOP, so it forks nothing more), every
/// child of it and then itself SIGKILLed, as when the machine dies (no shutdown checkpoint, no goodbye to clients or
/// standbys); then the replica is promoted as its member says.
struct PostgresFailover: Sendable {
    var loss: PrimaryLoss

    enum Failure: Error, Sendable, CustomStringConvertible {
        case notRunning(String, dataDirectory: String)
        case promotionFailed(String, String)

        var description: String {
            switch self {
            case .notRunning(let member, let data): "primary \(member) has no live postmaster (\(data)/postmaster.pid); nothing was broken"
            case .promotionFailed(let member, let why): "the primary was killed, but promoting \(member) failed: \(why); the restore brings the old primary back"
            }
        }
    }

    func perform() async throws -> FailoverOutcome {
        let primaryTools = try PostgresMemberTools(loss.primary)
        let replicaTools = try PostgresMemberTools(loss.replica)
        guard let postmaster = primaryTools.postmasterPID else { throw Failure.notRunning(loss.primary.name, dataDirectory: loss.primary.dataDirectory) }
        kill(postmaster, SIGSTOP)
        let children = ProcessTable.children(of: postmaster)
        for child in children { kill(child, SIGKILL) }
        kill(postmaster, SIGKILL)
        let killedAt = ContinuousClock.now
        let clock = ContinuousClock()
        while ([postmaster] + children).contains(where: ProcessTable.isAlive), clock.now - killedAt < .seconds(5) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        do {
            switch loss.replica.promote {
            case .pgCtl:
                try await replicaTools.run("pg_ctl", ["-D", loss.replica.dataDirectory, "-w", "-t", "60", "promote"])
            case .command(let argv):
                let result = try await ChildProcess.run(argv, timeout: .seconds(300))
                guard result.succeeded else { throw PostgresMemberTools.Failure.failed(argv.joined(separator: " "), status: result.status, output: result.output) }
            }
        } catch {
            throw Failure.promotionFailed(loss.replica.name, "\(error)")
        }
        // pg_ctl promote -w returns once the control file says "in production", a moment before the server answers
        // pg_is_in_recovery() = false: promoted is when it answers as the primary.
        var promotedAt = ContinuousClock.now
        while PostgresSession.LiveRole.primary != (await PostgresSession.role(of: loss.replica.address, as: loss.clients)) {
            guard ContinuousClock.now - promotedAt < .seconds(60) else { throw Failure.promotionFailed(loss.replica.name, "promoted, but not answering as primary after 60 s") }
            try? await Task.sleep(for: .milliseconds(5))
        }
        promotedAt = ContinuousClock.now
        let ms = Int(((promotedAt - killedAt) / .milliseconds(1)).rounded())
        return FailoverOutcome(killedAt: killedAt, promotedAt: promotedAt,
                               detail: "SIGKILL to postmaster \(postmaster) of \(loss.primary.name) and its \(children.count) processes; "
                                   + "\(loss.replica.name) promoted (\(loss.replica.promote.summary)) and answering as primary \(ms) ms after the kill")
    }
}
