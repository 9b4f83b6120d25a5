import SwitchyardCore

/// Starts, finds and stops the instances of one slot of a service. One implementation per way of
/// running instances (local processes, hosts over SSH).
public protocol InstanceDriver: Sendable {
    /// Brings `slot` of `zones` up at `version`, adopting instances already running that version,
    /// replacing any running another, and returns once every instance is ready.
    func deploy(_ service: Service, zones: [String], slot: Slot, version: String, timeout: Duration) async throws -> [RunningInstance]
    /// Drains (SIGTERM: open streams run to their end) and stops `slot` of `zones`, killing what is
    /// still there after the service's drain timeout.
    func retire(_ service: Service, zones: [String], slot: Slot) async -> RetireReport
    /// The instances of `slot` running now, whatever their version.
    func running(_ service: Service, slot: Slot) async -> [RunningInstance]
    /// Checks, before anything is touched, that every machine the service's instances run on can be driven
    /// (each host answers over SSH); throws an error naming the first that cannot.
    func preflight(_ service: Service) async throws
    /// Sends `signal` to each of `instances` where it runs (a drill's SIGKILL or SIGSTOP, the SIGCONT that ends a
    /// freeze). Returns one line per instance it could not signal, saying why; empty when every one was.
    func send(_ signal: Int32, to instances: [RunningInstance], of service: Service) async -> [String]
    /// Nil when `cutOff` can run wherever the service's instances run (iptables, as root); otherwise why not.
    func networkCutUnavailability(_ service: Service) async -> String?
    /// Drops every packet to `instances`' ports where they run (a drill's network cut), in rules commented `tag`; says
    /// what it did.
    func cutOff(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> String
    /// Removes the rules `cutOff` added with `tag` (however many times it ran); how many there were.
    func reconnect(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> Int
}

extension InstanceDriver {
    /// This machine is always there.
    public func preflight(_ service: Service) async throws {}
}

public struct RunningInstance: Sendable, Hashable, Codable {
    public var id: InstanceID
    public var pid: Int32
    public var version: String
    public var address: HostPort
    /// True when it was found running rather than started.
    public var adopted: Bool
}

public struct RetireReport: Sendable, Hashable {
    public var stopped: [InstanceID]
    /// Instances still running at the end of the drain timeout, killed.
    public var killed: [InstanceID]
    public var ok: Bool { killed.isEmpty }
}

public enum InstanceFailure: Error, Sendable, CustomStringConvertible {
    case exited(InstanceID, status: String, log: String)
    case notReady([InstanceID], after: Duration)
    case start(InstanceID, String)
    /// Something Switchyard did not start holds the instance's port: it is neither adopted nor signalled.
    case conflict(InstanceID, address: HostPort, detail: String)

    public var description: String {
        switch self {
        case .exited(let id, let status, let log): "instance \(id) exited (\(status)) before it was ready\(log.isEmpty ? "" : "; its log ends: \(log)")"
        case .notReady(let ids, let after): "instances not ready after \(after): \(ids.map(\.name).joined(separator: ", "))"
        case .start(let id, let why): "cannot start \(id): \(why)"
        case .conflict(let id, let address, let detail):
            "\(address) (the port of instance \(id.name)) is taken by a process Switchyard did not start\(detail.isEmpty ? "" : " (\(detail))"); "
                + "it is left alone: stop it or change the service's ports"
        }
    }
}
