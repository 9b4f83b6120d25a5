/// How a topology reads in a terminal: zones by services with replicas, load balancers, datastores.
public enum TopologySummary {
    public static func render(_ topology: Topology) -> String {
        var out: [String] = []
        out.append("Topology \(topology.name)" + (topology.description.map { ": \($0)" } ?? ""))
        out.append("")
        let zoneNames = topology.zones.map(\.name)
        var grid = TextTable(headers: ["service"] + zoneNames + ["total", "ports", "capacity/instance"])
        for service in topology.services {
            let cells = zoneNames.map { service.zones.contains($0) ? "\(service.replicasPerZone)" : "-" }
            let total = service.replicasPerZone * service.zones.count
            let lastPort = service.instances.last?.port ?? service.instance.ports.first
            grid.rows.append([service.name] + cells + ["\(total)", "\(service.instance.ports.first)-\(lastPort)", "\(formatQPS(service.capacityQPS)) qps"])
        }
        out.append("Replicas per zone (live slot; a release runs as many again in the idle slot)")
        out.append(grid.rendered)
        if !topology.loadBalancers.isEmpty {
            out.append("")
            out.append("Load balancers")
            for balancer in topology.loadBalancers {
                let served = topology.services.filter { $0.loadBalancer == balancer.name }.map(\.name)
                out.append("├─ \(balancer.name) (\(balancer.driver.rawValue)\(balancer.managed ? ", managed" : ", site-managed"))")
                out.append("│  ├─ live    \(balancer.listen)  → \(served.isEmpty ? "no service" : served.joined(separator: ", "))")
                out.append("│  ├─ preview \(balancer.previewListen)  → idle slot")
                out.append("│  ├─ drain   \(balancer.drainTimeout), passive health max_fails=\(balancer.maxFails) fail_timeout=\(balancer.failTimeout)")
                if !balancer.managed, let first = balancer.siteNodes.first {
                    let reload = first.reloadCommand.joined(separator: " ")
                    out.append("│  ├─ site nginx: Switchyard writes \(first.include) only (nginx -t -c \(first.config), then \(reload))")
                }
                if balancer.nodes.isEmpty {
                    out.append("│  └─ one node, from \(balancer.directory)")
                } else {
                    out.append("│  └─ keepalived pair on \(balancer.virtualAddress ?? "?"): " + balancer.nodes.map { "\($0.name)@\($0.zone) \($0.address)" }.joined(separator: ", "))
                }
            }
        }
        if !topology.datastores.isEmpty {
            out.append("")
            out.append("Datastores")
            for store in topology.datastores {
                let placement = store.placement.map { "\($0.zone): \($0.count) \($0.count > 1 ? ($0.role == .primary ? "primaries" : "replicas") : $0.role.rawValue)" }.joined(separator: ", ")
                out.append("├─ \(store.name) (\(store.kind.rawValue)) \(placement)")
            }
        }
        return out.joined(separator: "\n")
    }

    static func formatQPS(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)
    }
}
