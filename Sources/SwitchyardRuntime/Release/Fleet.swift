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
        let service = context.service
        let live = try await context.store.routing(service: service.name)?.live ?? Dictionary(uniqueKeysWithValues: service.zones.map { ($0, Slot.blue) })
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
