import Testing
@testable import SwitchyardCore

/// `datastores[].failoverManager`: the site's failover manager promotes and the drill waits for it; read as written,
/// and a located error naming the field for what cannot be meant.
struct DatastoreFailoverManifestTests {
    static func store(_ extra: String, promote: String = "") -> String {
        """
          - name: orders
            kind: postgres
            clients: postgresql://app@10.0.1.21:5432,10.0.2.21:5432/orders?target_session_attrs=read-write
        \(extra)
            members:
              - {name: pg-a, zone: zone-a, role: primary, address: 10.0.1.21:5432, dataDirectory: /srv/pg/a}
              - {name: pg-b, zone: zone-b, role: replica, address: 10.0.2.21:5432, dataDirectory: /srv/pg/b\(promote)}
        """
    }

    static func decoded(_ datastores: String) throws -> Datastore? {
        let text = DatastoreManifestTests.topology(datastores)
        let found = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = found.manifests.first?.manifest else { return nil }
        return topology.datastores.first
    }

    @Test func aFailoverManagersWaitIsReadAndWithoutOneTheDrillPromotes() throws {
        let managed = Self.store("    failoverManager: {timeout: 30s}")
        #expect(GateManifestTests.diagnostics(DatastoreManifestTests.topology(managed)) == [])
        #expect(try Self.decoded(managed)?.failover == .manager(timeout: .seconds(30)))
        #expect(try Self.decoded(Self.store(""))?.failover == .drillPromotes)
        #expect(DatastoreFailover.manager(timeout: .seconds(30)).managerTimeout == .seconds(30))
        #expect(DatastoreFailover.drillPromotes.managerTimeout == nil)
        #expect(DatastoreFailover.managerPlan(.seconds(30)) == "the drill promotes nothing and waits up to 30s for the failover manager to promote a member")
    }

    @Test func whatCannotBeMeantIsALocatedErrorNamingTheField() {
        func errors(_ datastores: String) -> [String] { GateManifestTests.diagnostics(DatastoreManifestTests.topology(datastores)) }
        let got = [
            errors(Self.store("    failoverManager: {}")),
            errors(Self.store("    failoverManager: {timeout: 0s}")),
            errors(Self.store("    failoverManager: {timeout: 30s, url: http://10.0.1.5:8008/failover}")),
            errors(Self.store("    failoverManager: patroni")),
            errors(Self.store("    failoverManager: {timeout: 30s}", promote: ", promote: pg_ctl")),
            errors("""
              - name: carts
                kind: mysql
                placement: [{zone: zone-a, role: primary}]
                failoverManager: {timeout: 30s}
            """),
        ]
        #expect(got == [
            ["inline.yaml:17:22: datastores[0].failoverManager.timeout: is required; how long the drill waits after the loss for a member to answer as primary, e.g. 30s"],
            ["inline.yaml:17:32: datastores[0].failoverManager.timeout: must be at least 100ms, got 0s"],
            ["inline.yaml:17:37: datastores[0].failoverManager.url: unknown key (known keys: timeout)"],
            ["inline.yaml:17:22: datastores[0].failoverManager: expected a mapping, got the string \"patroni\""],
            ["inline.yaml:20:111: datastores[0].members[1].promote: the failover manager promotes this datastore's members (failoverManager is set): "
                + "leave promote out, or leave failoverManager out to have the drill promote"],
            ["inline.yaml:17:22: datastores[0].failoverManager: applies with members (the servers drills act on)"],
        ], "\(got)")
    }
}
