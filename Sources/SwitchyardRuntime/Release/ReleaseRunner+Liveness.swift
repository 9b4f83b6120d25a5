import Foundation
import SwitchyardCore

extension ReleaseRunner {
    /// The probe target after a switch: the new slot of the switched zones, the old slot as the baseline,
    /// through the live listener.
    func switchedTarget() -> ProbeTarget {
        let plan = machine!.plan
        let switched = plan.waves.prefix(machine!.switchedWaves).flatMap { $0 }
        return ProbeTarget(listener: context.balancer.clientListener,
                           instances: switched.flatMap { context.service.addresses(plan.target($0), zones: [$0]) },
                           baseline: switched.flatMap { context.service.addresses(plan.target($0).other, zones: [$0]) },
                           readinessPath: context.service.health.readiness, metricsPath: context.service.health.metrics,
                           metricNames: context.service.metricNames, accessLog: context.accessLog)
    }

    /// The probe target of `slot` in `zones`, before the switch (through the preview listener).
    func probeTarget(slot: Slot, zones: [String]) -> ProbeTarget {
        ProbeTarget(listener: context.previewListener, instances: context.service.addresses(slot, zones: zones),
                    readinessPath: context.service.health.readiness, metricsPath: context.service.health.metrics,
                    metricNames: context.service.metricNames, accessLog: context.accessLog)
    }

    /// Why the new slot of the switched zones is down, or nil while every instance's process runs and
    /// accepts connections. Sampled between gate intervals: a process that exited or a port that refuses is
    /// a failure at once, not a measurement that could not be taken.
    func newSlotDown(_ target: ProbeTarget) async -> String? {
        let plan = machine!.plan
        let switched = Set(plan.waves.prefix(machine!.switchedWaves).flatMap { $0 })
        guard let zone = switched.first else { return nil }
        let slot = plan.target(zone)
        let expected = context.service.instances(slot: slot).filter { switched.contains($0.zone) }
        let running = Set(await context.instances.running(context.service, slot: slot).map(\.id))
        let exited = expected.filter { !running.contains($0) }
        if !exited.isEmpty {
            return "\(exited.map(\.name).joined(separator: ", ")) of \(slot.rawValue) no longer running"
        }
        let refusing = target.instances.filter { !TCPProbe.canConnect($0) }
        if !refusing.isEmpty {
            return "\(refusing.map(\.description).joined(separator: ", ")) of \(slot.rawValue) refuse connections"
        }
        return nil
    }
}
