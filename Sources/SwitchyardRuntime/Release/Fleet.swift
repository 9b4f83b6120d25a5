import Foundation
import SwitchyardCore

/// Brings a service's fleet up from nothing (its first version in the blue slot, nginx in front)
/// and takes it down again: what `yard up` and `yard down` do, and where the demo starts.
public struct Fleet: Sendable {
    public let context: ReleaseContext

    public init(context: ReleaseContext) { self.context = context }

    /// Starts `version` in the live slot of every zone (blue on a first start), starts nginx routing
    /// to it, and commits that routing. Instances already running that version are adopted.
    public func up(version: String) async throws -> [RunningInstance] {
        guard ReleaseVersion.isValid(version) else { throw ReleasePlan.PlanError.invalidVersion(version) }
        return try await holdingTopology("yard up") { try await start(version: version) }
    }

    /// Runs `body` holding the topology's lock (drills and other `up`/`down` wait), refused while a release of the
    /// service runs.
    public func holdingTopology<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        let store = context.store, name = LockName.topology(context.topology.name)
        let holder = LockHolder(what).text
        do {
            _ = try await store.acquireLock(name: name, holder: holder, lease: Self.lease, now: Date())
        } catch StateStoreError.lockHeld(_, let other, _) {
            throw Busy(topology: context.topology.name, holder: other)
        }
        do {
            if let release = try await store.lock(name: context.lockName), !release.isExpired(at: Date()) {
                throw Busy(topology: context.topology.name, holder: release.holder)
            }
            let result = try await body()
            _ = try? await store.releaseLock(name: name, holder: holder)
            return result
        } catch {
            _ = try? await store.releaseLock(name: name, holder: holder)
            throw error
        }
    }

    /// `yard up` and `down` hold the topology for at most this long unrenewed.
    static let lease: Duration = .seconds(600)

    /// Someone else acts on the topology: a drill, a release, another `up` or `down`.
    public struct Busy: Error, Sendable, CustomStringConvertible {
        public var topology: String
        public var holder: String
        public var description: String { "\(holder) acts on topology \(topology) now (a release, a drill, or yard up or down); try again when it ends" }
    }

    private func start(version: String) async throws -> [RunningInstance] {
        let service = context.service
        let live = try await context.store.routing(service: service.name)?.live ?? Dictionary(uniqueKeysWithValues: service.zones.map { ($0, Slot.blue) })
        try await context.instances.preflight(service)
        try await context.nginx.preflight()
        var started: [RunningInstance] = []
        for slot in Slot.allCases {
            let zones = service.zones.filter { live[$0] == slot }
            if zones.isEmpty { continue }
            started += try await context.instances.deploy(service, zones: zones, slot: slot, version: version, timeout: context.deployTimeout)
        }
        for instance in started where !instance.adopted {
            try await context.store.recordInstanceStarted(InstanceRecord(id: instance.id, pid: instance.pid, version: version,
                                                                         command: service.command(for: instance.id, version: version), startedAt: Date()))
        }
        let config = NginxConfig(balancer: context.balancer, service: service.name, live: context.service.liveAddresses(live), preview: [],
                                 prefix: context.nginx.prefix, routingLabel: live.label)
        try await context.nginx.start(config)
        if let pid = await context.nginx.masterPID { try await context.store.recordLoadBalancer(name: context.balancer.name, masterPID: pid, now: Date()) }
        var versions: [Slot: String] = [:]
        for slot in Set(live.values) { versions[slot] = version }
        try await context.store.commitRouting(service: service.name, live: live, versions: versions, now: Date())
        return started
    }

    /// Stops every instance of both slots and the load balancer's nginx.
    public func down() async {
        for slot in Slot.allCases {
            _ = await context.instances.retire(context.service, zones: context.service.zones, slot: slot)
            for instance in context.service.instances(slot: slot) { _ = try? await context.store.markInstanceStopped(instance, now: Date()) }
        }
        await context.nginx.stop(graceful: false)
        _ = try? await context.store.removeLoadBalancer(name: context.balancer.name)
    }
}
