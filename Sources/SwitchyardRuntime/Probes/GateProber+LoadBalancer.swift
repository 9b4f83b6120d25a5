import Foundation
import SwitchyardCore

extension GateProber {
    /// A metric gate with `source: loadBalancer`: the figures of the slot's servers over the requests
    /// nginx logged since this gate's previous measurement, beside the old slot's over the same lines.
    func measureAccessLog(_ check: MetricCheck, gate: String, target: ProbeTarget) -> GateMeasurement {
        guard let path = target.accessLog else {
            return .error("the load balancer's access log is not known for this target, so a source: loadBalancer gate cannot measure")
        }
        var tail = accessLogs[gate].flatMap { $0.path == path ? $0 : nil }
            ?? AccessLogTail(path: path, since: windowStarts[gate] ?? Date().timeIntervalSince1970 - 60)
        let records: [AccessLogRecord]
        do {
            records = try tail.read()
        } catch {
            accessLogs[gate] = tail
            return .error(error.description)
        }
        accessLogs[gate] = tail
        let slot = AccessLogWindow(records, slot: Set(target.instances.map(\.description)), port: target.listener.port, path: check.path)
        let base = target.baseline.isEmpty ? nil
            : AccessLogWindow(records, slot: Set(target.baseline.map(\.description)), port: target.listener.port, path: check.path)
        let observations = slot.observations(of: check.measure)
        var measurement = MetricJudge.judge(check, value: slot.value(of: check.measure), baseline: base?.value(of: check.measure),
                                            requests: observations)
        let unit = check.measure == .errorRate ? "attempts" : "requests"
        let old = base.flatMap { window in
            window.value(of: check.measure).map { ", old slot \(Self.format($0, check.measure)) over \(window.observations(of: check.measure))" }
        } ?? ""
        let users = slot.requests > 0 ? "; users saw \(Ratio(Double(slot.userErrors) / Double(slot.requests))) 5xx of \(slot.requests) requests" : ""
        measurement.message += " over \(observations) \(unit) of the new slot seen by the load balancer\(old)\(users)"
        return measurement
    }
}
