import Foundation
import SwitchyardCore

/// What the process driver records of an instance it started, beside its log: the pid, the process's
/// start time (so that a reused pid is never taken for it), the version and the command it ran.
struct InstanceIdentity: Codable, Sendable, Hashable {
    var pid: Int32
    var startTime: UInt64
    var version: String
    var command: [String]
}

extension ProcessInstanceDriver {
    func identityPath(_ service: Service, _ id: InstanceID) -> String { "\(logDirectory)/\(service.name)/\(id.name).identity.json" }

    /// Writes the identity of a process just started (best effort: without it, the command line still finds it).
    func record(_ service: Service, _ id: InstanceID, pid: Int32, version: String, command: [String]) {
        guard let start = ProcessTable.startTime(of: pid),
              let data = try? JSONEncoder().encode(InstanceIdentity(pid: pid, startTime: start, version: version, command: command)) else { return }
        try? data.write(to: URL(fileURLWithPath: identityPath(service, id)), options: .atomic)
    }

    /// Drops the record once its process is gone (a process that outlived its retirement stays on record).
    func forget(_ service: Service, _ id: InstanceID) {
        if recorded(service, id) == nil { try? FileManager.default.removeItem(atPath: identityPath(service, id)) }
    }

    /// The recorded identity of `id` when that very process still runs (same pid, same start time).
    func recorded(_ service: Service, _ id: InstanceID) -> InstanceIdentity? {
        guard let data = FileManager.default.contents(atPath: identityPath(service, id)),
              let identity = try? JSONDecoder().decode(InstanceIdentity.self, from: data),
              ProcessTable.isAlive(identity.pid), ProcessTable.startTime(of: identity.pid) == identity.startTime else { return nil }
        return identity
    }

    /// The processes running these instances: by command line (what any control plane can see) and by the
    /// identity this driver recorded when it started them (whatever their command line became).
    func locate(_ service: Service, _ ids: [InstanceID]) -> [InstanceID: [Found]] {
        var found = Self.find(service, ids)
        for id in ids {
            guard let identity = recorded(service, id), !(found[id] ?? []).contains(where: { $0.pid == identity.pid }) else { continue }
            found[id, default: []].append(Found(pid: identity.pid, version: identity.version, commandLine: identity.command.joined(separator: " ")))
        }
        return found
    }
}
