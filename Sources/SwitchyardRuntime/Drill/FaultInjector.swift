import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// Breaks what a `FaultPlan` says. Returns what happened, for the journal.
public enum FaultInjector {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case signalFailed([String])
        case commandFailed([String], status: Int32, output: String)

        public var description: String {
            switch self {
            case .signalFailed(let misses): "could not signal \(misses.joined(separator: ", "))"
            case .commandFailed(let argv, let status, let output):
                "\(argv.joined(separator: " ")) exited \(status)\(output.isEmpty ? "" : ": \(output.suffix(400))")"
            }
        }
    }

    /// What an injection did: in words, and for a datastore's primary loss, when the kill and the promotion were.
    public struct Injection: Sendable {
        public var detail: String
        public var failover: FailoverOutcome?
    }

    /// Injects `plan`; instances are signalled through `instances`, the driver that runs them.
    public static func inject(_ plan: FaultPlan, instances: any InstanceDriver) async throws -> Injection {
        if case .primaryLoss(let loss) = plan.blow {
            let outcome = try await PostgresFailover(loss: loss).perform()
            return Injection(detail: outcome.detail, failover: outcome)
        }
        return Injection(detail: try await inject(plan.blow, instances: instances), failover: nil)
    }

    static func inject(_ blow: FaultPlan.Blow, instances: any InstanceDriver) async throws -> String {
        switch blow {
        case .signal(let signal, let targets):
            var misses: [String] = []
            for target in targets where kill(target.pid, signal) != 0 {
                misses.append("\(target.name) (pid \(target.pid)): \(String(cString: strerror(errno)))")
            }
            if signal == SIGKILL { await ProcessInstanceDriver.reap(targets.map(\.pid)) }
            return try signalled(signal, count: targets.count, misses: misses)
        case .signalInstances(let signal, let service, let targets):
            let misses = await instances.send(signal, to: targets, of: service)
            return try signalled(signal, count: targets.count, misses: misses)
        case .cutInstances(let service, let targets, let tag):
            return try await instances.cutOff(targets, of: service, tag: tag)
        case .command(let argv):
            let result = try await Command.run(argv)
            guard result.succeeded else { throw Failure.commandFailed(argv, status: result.status, output: result.output) }
            return "\(argv.joined(separator: " ")) exited 0"
        case .cutNode(let node, let argv):
            let result = try await Command.run(argv)
            guard result.succeeded else { throw Failure.commandFailed(argv, status: result.status, output: result.output) }
            return "node \(node) cut off its network (\(argv.joined(separator: " ")) exited 0)"
        case .primaryLoss(let loss):
            // Never planned inside `.all`; on its own, `inject(_:instances:)` above keeps the failover's instants.
            return try await PostgresFailover(loss: loss).perform().detail
        case .all(let blows):
            var details: [String] = []
            for blow in blows { details.append(try await inject(blow, instances: instances)) }
            return details.joined(separator: "; ")
        }
    }

    /// Every target missed: nothing was broken. Some missed: the rest were, and count.
    private static func signalled(_ signal: Int32, count: Int, misses: [String]) throws -> String {
        if misses.count == count { throw Failure.signalFailed(misses) }
        let name = signal == SIGKILL ? "SIGKILL" : signal == SIGSTOP ? "SIGSTOP" : "signal \(signal)"
        return "\(name) sent to \(count - misses.count) of \(count) processes" + (misses.isEmpty ? "" : "; missed \(misses.joined(separator: ", "))")
    }
}
