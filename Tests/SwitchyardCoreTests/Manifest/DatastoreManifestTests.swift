import Testing
@testable import SwitchyardCore

/// `datastores[].members` and `clients`, the `db-primary-loss` fault and `maxLostWrites`: read as written, and a located
/// error naming the field for what cannot be acted on.
struct DatastoreManifestTests {
    static func topology(_ datastores: String) -> String {
        """
        apiVersion: switchyard/v1
        kind: Topology
        name: fleet
        zones: [zone-a, zone-b]
        services:
          - name: gateway
            zones: [zone-a, zone-b]
            replicasPerZone: 1
            instance:
              command: /opt/gw --port {port}
              ports: 9100
            capacityQPS: 100
        datastores:
        \(datastores)
        """
    }

    static let good = """
      - name: orders
        kind: postgres
        clients: postgresql://app:s3cret@10.0.1.21:5432,10.0.2.21/orders?target_session_attrs=read-write&connect_timeout=3
        members:
          - {name: pg-a, zone: zone-a, role: primary, address: 10.0.1.21:5432, dataDirectory: /var/lib/postgresql/15/main}
          - name: pg-b
            zone: zone-b
            role: replica
            address: 10.0.2.21:5432
            dataDirectory: /srv/pg/main
            promote: {command: [/usr/local/bin/promote-orders, --now]}
            serverOptions: "-c config_file=/etc/postgresql/15/main/postgresql.conf"
            runAs: pgadmin
            binDirectory: /usr/lib/postgresql/15/bin
    """

    @Test func membersAndClientsAreReadAsWritten() throws {
        let text = Self.topology(Self.good)
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        let store = try #require(topology.datastores.first)
        #expect(store.members == [
            DatastoreMember(name: "pg-a", zone: "zone-a", role: .primary, address: HostPort(host: "10.0.1.21", port: 5432),
                            dataDirectory: "/var/lib/postgresql/15/main"),
            DatastoreMember(name: "pg-b", zone: "zone-b", role: .replica, address: HostPort(host: "10.0.2.21", port: 5432), dataDirectory: "/srv/pg/main",
                            promote: .command(["/usr/local/bin/promote-orders", "--now"]),
                            serverOptions: "-c config_file=/etc/postgresql/15/main/postgresql.conf", runAs: "pgadmin",
                            binDirectory: "/usr/lib/postgresql/15/bin"),
        ])
        #expect(store.clients == ClientConnectionString(user: "app", password: "s3cret",
                                                        hosts: [HostPort(host: "10.0.1.21", port: 5432), HostPort(host: "10.0.2.21", port: 5432)],
                                                        database: "orders", targetSessionAttrs: .readWrite, connectTimeout: 3))
        #expect(store.placement == [Datastore.Placement(zone: "zone-a", role: .primary), Datastore.Placement(zone: "zone-b", role: .replica)])
        // The password never shows.
        #expect(store.clients?.description == "postgresql://app:***@10.0.1.21:5432,10.0.2.21:5432/orders?target_session_attrs=read-write&connect_timeout=3")
    }

    @Test func whatCannotBeActedOnIsALocatedErrorNamingTheField() {
        let got = GateManifestTests.diagnostics(Self.topology("""
          - name: orders
            kind: postgres
            clients: postgresql://app@10.0.1.21:5432/orders?sslmode=require
            members:
              - {name: pg-a, zone: zone-a, role: primary, address: 10.0.1.21:5432}
              - {name: pg-b, zone: zone-c, role: primary, address: 10.0.2.21:5432, dataDirectory: /srv/pg, promote: pg_ctl_promote}
          - name: carts
            kind: mysql
            clients: postgresql://app@10.0.1.21:5432/carts
            members:
              - {name: my-a, zone: zone-a, role: primary, address: 10.0.1.31:3306, dataDirectory: /var/lib/mysql}
          - name: ledger
            kind: postgres
            clients: postgresql://app@10.0.1.41/ledger
            members:
              - {name: pg-1, zone: zone-a, role: primary, address: 10.0.1.41:5432, dataDirectory: /srv/pg}
              - {name: pg-1, zone: zone-b, role: primary, address: 10.0.2.41:5432, dataDirectory: /srv/pg}
        """))
        #expect(got == [
            "inline.yaml:16:14: datastores[0].clients: unknown parameter sslmode (known: target_session_attrs, connect_timeout)",
            "inline.yaml:18:9: datastores[0].members[0].dataDirectory: is required; its data directory on its host, e.g. /var/lib/postgresql/15/main",
            "inline.yaml:19:28: datastores[0].members[1].zone: unknown zone \"zone-c\"; did you mean \"zone-a\"? (known: zone-a, zone-b)",
            "inline.yaml:19:109: datastores[0].members[1].promote: expected pg_ctl or {command: [...]}, got \"pg_ctl_promote\"",
            "inline.yaml:24:7: datastores[1].members: drills act on kind postgres only so far (got mysql); describe this datastore with placement",
            "inline.yaml:29:7: datastores[2].members: needs exactly one member with role: primary (got 2)",
            "inline.yaml:29:7: datastores[2].members: needs at least one member with role: replica: a primary loss is survived by promoting one",
            "inline.yaml:30:16: datastores[2].members[1].name: member \"pg-1\" is defined twice (first at datastores[2].members[0])",
        ], "\(got)")
    }

    @Test func theConnectionStringIsParsedAsLibpqDoes() {
        let parsed = try? ClientConnectionString.parse("postgres://u@[::1]:5433,db-b.example/app").get()
        #expect(parsed?.hosts == [HostPort(host: "::1", port: 5433), HostPort(host: "db-b.example", port: 5432)])
        #expect(parsed?.targetSessionAttrs == .any)
        let refusals = ["mysql://u@h/db", "postgresql://h:5432/db", "postgresql://u@h:5432", "postgresql://u@h/db?target_session_attrs=standby",
                        "postgresql://u@h;rm/db"].map { text -> String in
            if case .failure(let why) = ClientConnectionString.parse(text) { return why.description }
            return "accepted"
        }
        #expect(refusals == [
            "expected postgresql://USER@HOST:PORT[,HOST:PORT…]/DATABASE?target_session_attrs=read-write",
            "no user before the hosts (postgresql://USER@HOST:PORT[,HOST:PORT…]/DATABASE?target_session_attrs=read-write)",
            "no database after the hosts (postgresql://USER@HOST:PORT[,HOST:PORT…]/DATABASE?target_session_attrs=read-write)",
            "target_session_attrs must be one of any, read-write, got \"standby\"",
            "\"h;rm\" is not a host or host:port",
        ], "\(refusals)")
    }

    static func playbook(fault: String, objectives: String, topology: String = "local") -> String {
        """
        apiVersion: switchyard/v1
        kind: DrillPlaybook
        name: drill-db
        topology: \(topology)
        load: {requestsPerSecond: 10}
        fault:
        \(fault)
        duration: 30s
        objectives: \(objectives)
        """
    }

    @Test func theFaultAndItsObjectiveAreRead() throws {
        let text = Self.playbook(fault: "  {kind: db-primary-loss, datastore: orders, writesPerSecond: 50}",
                                 objectives: "{rto: 5s, minSuccessRate: 99%, maxLostWrites: 0}")
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .drillPlaybook(let playbook)? = decoded.manifests.first?.manifest else { Issue.record("no playbook"); return }
        #expect(playbook.fault == .dbPrimaryLoss(datastore: "orders", writesPerSecond: 50, mode: .kill))
        #expect(playbook.objectives.maxLostWrites == 0)
        let defaulted = Self.playbook(fault: "  {kind: db-primary-loss, datastore: orders}", objectives: "{rto: 5s, minSuccessRate: 99%}")
        guard case .drillPlaybook(let other)? = ManifestDecoder.decode(bytes: Array(defaulted.utf8), file: "inline.yaml").manifests.first?.manifest else {
            Issue.record("no playbook"); return
        }
        #expect(other.fault == .dbPrimaryLoss(datastore: "orders", writesPerSecond: 20, mode: .kill))
    }

    @Test func badFaultFieldsAreLocatedErrors() {
        let got = GateManifestTests.diagnostics(Self.playbook(fault: "  {kind: db-primary-loss, writesPerSecond: 0}",
                                                              objectives: "{rto: 5s, minSuccessRate: 99%, maxLostWrites: -1}"))
        let misplaced = GateManifestTests.diagnostics(Self.playbook(fault: "  {kind: zone-outage, zone: zone-a}",
                                                                    objectives: "{rto: 5s, minSuccessRate: 99%, maxLostWrites: 0}"))
        #expect(got == [
            "inline.yaml:7:3: fault.datastore: is required; a datastore of the topology with members",
            "inline.yaml:7:44: fault.writesPerSecond: must be at least 1, got 0",
            "inline.yaml:9:59: objectives.maxLostWrites: must be at least 0, got -1",
        ], "\(got)")
        #expect(misplaced == [
            "inline.yaml:9:59: objectives.maxLostWrites: is measured by the write probe of a db-primary-loss fault (this fault is zone-outage)",
        ], "\(misplaced)")
    }

    @Test func aPrimaryLossOfADatastoreWithoutMembersIsRefusedAtItsField() {
        let got = GateManifestTests.diagnostics(Self.playbook(fault: "  {kind: db-primary-loss, datastore: orders-mysql}",
                                                              objectives: "{rto: 5s, minSuccessRate: 99%}", topology: "two-zone-production"))
        #expect(got == [
            "inline.yaml:7:38: fault.datastore: datastore orders-mysql of topology two-zone-production lists no members: a primary loss needs the servers (members, clients) to act on",
        ], "\(got)")
    }

    @Test func hostsModesAndAnHTTPPromotionAreReadAsWritten() throws {
        let text = Self.topology("""
          - name: orders
            kind: postgres
            clients: postgresql://app@10.0.1.21:5432,127.0.0.1:5433/orders?target_session_attrs=read-write
            members:
              - {name: pg-a, zone: zone-a, role: primary, address: 10.0.1.21:5432, dataDirectory: /srv/pg}
              - name: pg-b
                zone: zone-b
                role: replica
                address: 127.0.0.1:5433
                host: pgadmin@db-b.internal:2222
                dataDirectory: /srv/pg
                promote:
                  http:
                    url: http://10.0.2.21:8008/failover
                    body: '{"leader": "pg-a", "candidate": "pg-b"}'
                    headers: {Authorization: "Basic c3dpdGNoeWFyZDpkcmlsbA=="}
              - {name: pg-c, zone: zone-b, role: replica, address: 127.0.0.1:5434, dataDirectory: /srv/pg-c, promote: {http: {url: "https://mgr/x", method: PUT}}}
        """)
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        let members = try #require(topology.datastores.first?.members)
        // Not loopback: over SSH to the address; loopback: this machine; or as `host` says.
        #expect(members.map(\.host) == [.ssh(address: "10.0.1.21", user: nil, port: nil), .ssh(address: "db-b.internal", user: "pgadmin", port: 2222), .thisMachine])
        #expect(members[1].promote == .http(HTTPPromotion(url: "http://10.0.2.21:8008/failover", method: .post, body: #"{"leader": "pg-a", "candidate": "pg-b"}"#,
                                                           headers: ["Authorization": "Basic c3dpdGNoeWFyZDpkcmlsbA=="])))
        #expect(members[1].promote.summary == "POST http://10.0.2.21:8008/failover")
        #expect(members[2].promote == .http(HTTPPromotion(url: "https://mgr/x", method: .put)))
        #expect(MemberHost.parse("local") == .thisMachine)
        #expect(MemberHost.parse("root@[fd00::5]:22") == .ssh(address: "fd00::5", user: "root", port: 22))
        #expect(MemberHost.ssh(address: "db-b.internal", user: "pgadmin", port: 2222).name == "pgadmin@db-b.internal:2222")

        let network = Self.playbook(fault: "  {kind: db-primary-loss, datastore: orders, mode: network}", objectives: "{rto: 5s, minSuccessRate: 99%}")
        guard case .drillPlaybook(let playbook)? = ManifestDecoder.decode(bytes: Array(network.utf8), file: "inline.yaml").manifests.first?.manifest else {
            Issue.record("no playbook"); return
        }
        #expect(playbook.fault == .dbPrimaryLoss(datastore: "orders", writesPerSecond: 20, mode: .network))
    }

    @Test func aBadHostModeOrHTTPPromotionIsALocatedError() {
        let got = GateManifestTests.diagnostics(Self.topology("""
          - name: orders
            kind: postgres
            clients: postgresql://app@10.0.1.21:5432/orders
            members:
              - {name: pg-a, zone: zone-a, role: primary, address: 10.0.1.21:5432, dataDirectory: /srv/pg, host: "root@db a"}
              - {name: pg-b, zone: zone-b, role: replica, address: 10.0.2.21:5432, dataDirectory: /srv/pg, promote: {http: {url: "ftp://x/y", body: "{oops"}, command: [/bin/true]}}
              - {name: pg-c, zone: zone-b, role: replica, address: 10.0.2.22:5432, dataDirectory: /srv/pg, promote: {http: {method: GET}}}
        """))
        #expect(got == [
            "inline.yaml:18:106: datastores[0].members[0].host: expected local (this machine) or an SSH destination [user@]address[:port], got \"root@db a\"",
            "inline.yaml:19:122: datastores[0].members[1].promote.http.url: must be an http:// or https:// URL, got \"ftp://x/y\"",
            "inline.yaml:19:141: datastores[0].members[1].promote.http.body: is not JSON: {oops",
            "inline.yaml:19:160: datastores[0].members[1].promote.command: give command or http, not both",
            "inline.yaml:20:116: datastores[0].members[2].promote.http.url: is required; the failover manager's endpoint, e.g. http://10.0.2.21:8008/failover",
            "inline.yaml:20:125: datastores[0].members[2].promote.http.method: expected one of POST, PUT, got \"GET\" (did you mean 'PUT'?)",
        ], "\(got)")
        let mode = GateManifestTests.diagnostics(Self.playbook(fault: "  {kind: db-primary-loss, datastore: orders, mode: freeze}",
                                                               objectives: "{rto: 5s, minSuccessRate: 99%}"))
        #expect(mode == ["inline.yaml:7:52: fault.mode: expected one of kill, network, got \"freeze\""], "\(mode)")
    }
}
