import Testing
import Foundation
@testable import SwitchyardCore

/// The malformed-manifest corpus: every fixture with every diagnostic it must produce, exactly:
/// line, column, field path and message. Cross-references resolve against topologies/local.yaml.
struct MalformedManifestTests {
    static let expected: [String: [String]] = [
        "01-topology-replicas-zero.yaml": [
            "01-topology-replicas-zero.yaml:12:22: services[0].replicasPerZone: must be at least 1, got 0",
        ],
        "02-topology-unknown-key.yaml": [
            "02-topology-unknown-key.yaml:13:5: services[0].loadBalancr: unknown key; did you mean 'loadBalancer'? (known keys: name, zones, replicasPerZone, loadBalancer, instance, health, drainTimeout, capacityQPS, metricNames, hostLabels)",
        ],
        "03-topology-unknown-zone.yaml": [
            "03-topology-unknown-zone.yaml:11:21: services[0].zones[1]: unknown zone \"zone-c\"; did you mean \"zone-a\"? (known: zone-a, zone-b)",
        ],
        "04-topology-preview-equals-live.yaml": [
            "04-topology-preview-equals-live.yaml:8:20: loadBalancers[0].previewListen: must differ from listen (127.0.0.1:9800): the preview listener serves the idle slot",
        ],
        "05-topology-port-clash-with-lb.yaml": [
            "05-topology-port-clash-with-lb.yaml:16:14: services[0].instance.ports: port 9800 of instance gateway-zone-a-blue-1 is already taken by load balancer edge (listen)",
        ],
        "06-topology-two-services-one-port.yaml": [
            "06-topology-two-services-one-port.yaml:23:14: services[1].instance.ports: port 9812 of instance admin-zone-a-blue-0 is already taken by instance gateway-zone-b-blue-0",
        ],
        "07-topology-range-too-small.yaml": [
            "07-topology-range-too-small.yaml:16:14: services[0].instance.ports: range 9810-9812 holds 3 ports; gateway needs 8 (2 slots x 2 zones x 2 replicas)",
        ],
        "08-topology-bad-placeholder.yaml": [
            "08-topology-bad-placeholder.yaml:15:16: services[0].instance.command: unknown placeholder {verison}; did you mean {version}? (known: {port}, {host}, {version}, {zone}, {slot}, {instance}, {service})",
        ],
        "09-topology-no-port-placeholder.yaml": [
            "09-topology-no-port-placeholder.yaml:15:16: services[0].instance.command: must pass {port} to the instance, or instances of one host would collide",
        ],
        "10-topology-unknown-lb.yaml": [
            "10-topology-unknown-lb.yaml:13:19: services[0].loadBalancer: unknown load balancer \"egde\"; did you mean \"edge\"? (known: edge)",
        ],
        "11-topology-duplicate-zone.yaml": [
            "11-topology-duplicate-zone.yaml:4:17: zones[1]: zone \"zone-a\" is defined twice (first at zones[0])",
            "11-topology-duplicate-zone.yaml:11:21: services[0].zones[1]: unknown zone \"zone-b\"; did you mean \"zone-a\"? (known: zone-a)",
        ],
        "12-topology-capacity-string.yaml": [
            "12-topology-capacity-string.yaml:17:18: services[0].capacityQPS: expected a number, got the string \"lots\"",
        ],
        "13-topology-bad-address.yaml": [
            "13-topology-bad-address.yaml:7:13: loadBalancers[0].listen: expected an address such as 127.0.0.1:8080, got the string \"localhost\"",
            "13-topology-bad-address.yaml:13:19: services[0].loadBalancer: unknown load balancer \"edge\" (none defined)",
        ],
        "14-topology-missing-services.yaml": [
            "14-topology-missing-services.yaml:1:1: services: is required",
        ],
        "15-topology-zones-not-list.yaml": [
            "15-topology-zones-not-list.yaml:4:8: zones: expected a list, got the string \"zone-a\"",
        ],
        "16-topology-datastore-no-primary.yaml": [
            "16-topology-datastore-no-primary.yaml:22:7: datastores[0].placement: needs at least one node with role: primary",
        ],
        "17-topology-datastore-bad-kind.yaml": [
            "17-topology-datastore-bad-kind.yaml:20:11: datastores[0].kind: expected one of mysql, postgres, redis, got \"mongo\"",
        ],
        "18-wrong-api-version.yaml": [
            "18-wrong-api-version.yaml:1:13: apiVersion: expected switchyard/v1, got \"switchyard/v2\"",
        ],
        "19-unknown-kind.yaml": [
            "19-unknown-kind.yaml:2:7: kind: expected one of Topology, ReleasePlaybook, DrillPlaybook, CapacityPlan, got \"Topologie\" (did you mean 'Topology'?)",
        ],
        "20-missing-kind.yaml": [
            "20-missing-kind.yaml:1:1: kind: is required; one of Topology, ReleasePlaybook, DrillPlaybook, CapacityPlan",
        ],
        "21-not-a-mapping.yaml": [
            "21-not-a-mapping.yaml:1:1: expected a mapping, got a list",
        ],
        "22-yaml-syntax-error.yaml": [
            "22-yaml-syntax-error.yaml:4:6: not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 7)",
        ],
        "23-duplicate-key.yaml": [
            "23-duplicate-key.yaml:3:1: key 'name' appears more than once in one mapping",
        ],
        "24-tab-indentation.yaml": [
            "24-tab-indentation.yaml:4:1: not valid YAML: found character that cannot start any token (while scanning for the next token at line 4, column 1)",
        ],
        "25-empty-file.yaml": [
            "25-empty-file.yaml:1:1: file is empty; expected a manifest with apiVersion and kind",
        ],
        "26-release-unknown-service.yaml": [
            "26-release-unknown-service.yaml:5:10: service: unknown service \"gatway\"; did you mean \"gateway\"? (known: gateway) in topology local",
        ],
        "27-release-unknown-gate.yaml": [
            "27-release-unknown-gate.yaml:10:11: bake.gates[0]: unknown gate \"erors\"; did you mean \"errors\"? (known: ready, errors)",
        ],
        "28-release-bad-duration.yaml": [
            "28-release-bad-duration.yaml:8:13: bake.duration: expected a duration such as 150ms, 30s, 10m or 1h, got the number 10",
        ],
        "29-release-bad-ratio.yaml": [
            "29-release-bad-ratio.yaml:18:10: gates[1].max: expected a ratio such as 0.05 or 5%, got the string \"five percent\"",
        ],
        "30-release-unknown-gate-kind.yaml": [
            "30-release-unknown-gate-kind.yaml:13:11: gates[0].kind: expected one of http, sse, metric, prometheus, got \"htp\" (did you mean 'http'?)",
        ],
        "31-release-interval-longer-than-bake.yaml": [
            "31-release-interval-longer-than-bake.yaml:9:13: bake.interval: must not be longer than bake.duration (1m), or no sample would be taken",
        ],
        "32-release-prometheus-no-query.yaml": [
            "32-release-prometheus-no-query.yaml:19:5: gates[2].query: is required; a PromQL expression that returns one number",
            "32-release-prometheus-no-query.yaml:21:10: gates[2].url: must be an http:// or https:// URL, got \"127.0.0.1:9090\"",
        ],
        "33-release-wave-unknown-zone.yaml": [
            "33-release-wave-unknown-zone.yaml:6:10: waves: waves leave out zone zone-b of service gateway; every zone must be in one wave",
            "33-release-wave-unknown-zone.yaml:6:20: waves[1][0]: unknown zone \"zone-x\"; did you mean \"zone-a\"? (known: zone-a, zone-b) in topology local",
        ],
        "34-drill-bad-cron.yaml": [
            "34-drill-bad-cron.yaml:6:12: schedule.cron: hour: 25 is out of range 0-23",
        ],
        "35-drill-cron-four-fields.yaml": [
            "35-drill-cron-four-fields.yaml:6:10: schedule.cron: expected 5 fields (minute hour day-of-month month day-of-week), got 4",
        ],
        "36-drill-bad-timezone.yaml": [
            "36-drill-bad-timezone.yaml:7:13: schedule.timeZone: unknown IANA time zone \"Asia/Shangai\"; did you mean \"Asia/Shanghai\"?",
        ],
        "37-drill-unknown-fault-kind.yaml": [
            "37-drill-unknown-fault-kind.yaml:11:9: fault.kind: expected one of instance-kill, zone-outage, lb-node-kill, exec, db-primary-loss, got \"zone-outtage\" (did you mean 'zone-outage'?)",
        ],
        "38-drill-exec-without-restore.yaml": [
            "38-drill-exec-without-restore.yaml:11:3: fault.restore: is required; every exec fault needs the command that undoes it; it runs even after a crash",
        ],
        "39-drill-blackout-backwards.yaml": [
            "39-drill-blackout-backwards.yaml:11:11: schedule.blackouts[0].to: must be after from (2026-11-13), got 2026-11-01",
        ],
        "40-drill-unknown-topology.yaml": [
            "40-drill-unknown-topology.yaml:4:11: topology: unknown topology \"lcoal\"; did you mean \"local\"? (known: local, two-zone-production)",
        ],
        "41-drill-kill-too-many.yaml": [
            "41-drill-kill-too-many.yaml:12:12: fault.service: fault.count 5 is more than the 2 live instances of gateway in zone-a",
        ],
        "42-capacity-two-sources.yaml": [
            "42-capacity-two-sources.yaml:8:14: history.synthetic: history takes one source; csv and synthetic are both given",
        ],
        "43-capacity-no-multiplier-no-events.yaml": [
            "43-capacity-no-multiplier-no-events.yaml:9:3: target.multiplier: is required; with no past events to learn from, say how many times the ordinary level the event brings (e.g. 5)",
        ],
        "44-capacity-end-before-start.yaml": [
            "44-capacity-end-before-start.yaml:11:8: target.end: must not be before start (2026-11-11), got 2026-11-10",
        ],
        "45-capacity-utilisation-over-100.yaml": [
            "45-capacity-utilisation-over-100.yaml:12:20: targetUtilisation: must be between 0% and 100%, got 150%",
        ],
        "46-topology-hostile-paths-and-hosts.yaml": [
            "46-topology-hostile-paths-and-hosts.yaml:7:13: loadBalancers[0].listen: the host of \"127.0.0.1;include/x:9800\" must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address)",
            "46-topology-hostile-paths-and-hosts.yaml:8:20: loadBalancers[0].previewListen: the host of \"{evil}:9801\" must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address)",
            "46-topology-hostile-paths-and-hosts.yaml:9:16: loadBalancers[0].directory: must be a path without white space, control characters or any of ; { } # \" ' $ \\ (they would change the configuration it is written into), got \"/tmp/x; include /tmp/evil.conf; #\"",
            "46-topology-hostile-paths-and-hosts.yaml:10:21: loadBalancers[0].virtualAddress: must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address), got \"10.0.0.1}\"",
            "46-topology-hostile-paths-and-hosts.yaml:12:46: loadBalancers[0].nodes[0].address: must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address), got \"10.0.0.2#x\"",
            "46-topology-hostile-paths-and-hosts.yaml:13:46: loadBalancers[0].nodes[1].address: must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address), got \"host\\u{a}name\"",
            "46-topology-hostile-paths-and-hosts.yaml:18:19: services[0].loadBalancer: unknown load balancer \"edge\" (none defined)",
            "46-topology-hostile-paths-and-hosts.yaml:21:13: services[0].instance.host: must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address), got \"127.0.0.1 ; server evil\"",
        ],
        "47-topology-path-with-newline.yaml": [
            "47-topology-path-with-newline.yaml:9:16: loadBalancers[0].directory: must be a path without white space, control characters or any of ; { } # \" ' $ \\ (they would change the configuration it is written into), got \"/tmp/ok\\u{a}  include /tmp/evil.conf\"",
        ],
    ]

    @Test(arguments: MalformedManifestTests.expected.keys.sorted())
    func reportsExactDiagnostics(fixture: String) throws {
        let bytes = try Fixtures.bytes("malformed/\(fixture)")
        let got = Fixtures.validate(bytes: bytes, file: fixture).map(\.description)
        #expect(got == MalformedManifestTests.expected[fixture])
    }

    @Test func corpusIsLargeAndEveryFixtureIsListed() throws {
        let files = try Fixtures.list("malformed").filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 30)
        #expect(Set(files) == Set(MalformedManifestTests.expected.keys))
        #expect(MalformedManifestTests.expected.values.allSatisfy { !$0.isEmpty })
    }
}
