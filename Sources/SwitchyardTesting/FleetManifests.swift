/// Manifests of a one-service test fleet on private loopback ports: the nginx listener on `basePort`, the
/// preview listener on `basePort + 1`, 8 `yard-gateway` instances (2 zones x 2 replicas x 2 slots) from
/// `basePort + 4`. Tests that write a workspace for the `yard` or `yardd` executables share it.
public enum FleetManifests {
    public static func topology(name: String, basePort: Int, lbDrainTimeout: String = "1m", drainTimeout: String = "10s",
                                gatewayArguments: String = "", extraBalancerLines: [String] = [],
                                zones: String = "[zone-a, zone-b]", gatewayCommand: String = "yard-gateway") -> String {
        let extra = extraBalancerLines.map { "\n    \($0)" }.joined()
        return """
        apiVersion: switchyard/v1
        kind: Topology
        name: \(name)
        zones: \(zones)
        loadBalancers:
          - name: edge
            listen: 127.0.0.1:\(basePort)
            previewListen: 127.0.0.1:\(basePort + 1)
            directory: .yard/nginx
            drainTimeout: \(lbDrainTimeout)\(extra)
        services:
          - name: gateway
            zones: [zone-a, zone-b]
            replicasPerZone: 2
            loadBalancer: edge
            instance:
              command: \(gatewayCommand) --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance}\(gatewayArguments.isEmpty ? "" : " \(gatewayArguments)")
              ports: \(basePort + 4)
            drainTimeout: \(drainTimeout)
            capacityQPS: 100
        """
    }

    /// The release playbook of that fleet's gateway: ready and a 2-stream SSE smoke test before the switch, the error
    /// rate during a bake of `bake`, the old slot stopped at once.
    public static func releasePlaybook(topology: String, bake: String) -> String {
        """
        apiVersion: switchyard/v1
        kind: ReleasePlaybook
        name: release-gateway
        topology: \(topology)
        service: gateway
        preGates: [ready, smoke]
        bake: {duration: \(bake), interval: 1s, gates: [errors]}
        scaleDownDelay: 0s
        gates:
          - {name: ready, kind: http, path: /readyz}
          - {name: smoke, kind: sse, streams: 2, firstEventWithin: 1s}
          - {name: errors, kind: metric, measure: error-rate, max: 5%}
        """
    }
}
