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
}
