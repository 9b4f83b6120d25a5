import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// `db-primary-loss` with each member on a host of its own (network namespaces of a lab `ydb-`, 10.79.0.0/16, reached
/// over SSH): the postmaster killed on its host, or its host's network cut (iptables there), the replica promoted on
/// the other host, and the old primary rewound there; the drill's HTTP traffic runs on this machine beside it.
@Suite("A database primary lost on another host", .serialized, .enabled(if: NetnsLab.isAvailable, "needs root, iproute2 and openssh-server"))
struct RemoteDatabaseDrillTests {
    static let network = NetnsLab.Network(prefix: "ydb-", octet: 79)

    /// A primary on host 0 and its synchronous standby on host 1, each listening on its host's address.
    static func withRemotePair(_ body: (NetnsLab, PostgresServer, PostgresServer) async throws -> Void) async throws {
        try await NetnsLab.with(hosts: 2, network: network) { lab in
            SSHFleet.pointSSH(at: lab)
            try await DatabasePrimaryLossDrillTests.withPair(
                primary: PostgresServer.Settings.replication(synchronousCommit: true, synchronousStandby: true).on(lab.addresses[0], namespace: lab.namespace(0)),
                replica: PostgresServer.Settings.replication(synchronousCommit: true).on(lab.addresses[1], namespace: lab.namespace(1))) { primary, replica in
                try await body(lab, primary, replica)
            }
        }
    }

    /// The iptables rules a drill left in host `index`'s namespace.
    static func drillRules(_ lab: NetnsLab, _ index: Int) throws -> [String] {
        let result = try ChildProcess.runSynchronously(["ip", "netns", "exec", lab.namespace(index), "iptables", "-w", "-S"])
        #expect(result.succeeded, "\(result.output)")
        return result.output.split(separator: "\n").map(String.init).filter { $0.contains("switchyard-drill") }
    }

    @Test func aPrimaryKilledOnItsHostIsReplacedWithoutALostWriteAndRewoundThere() async throws {
        try await ReleaseHarness.with(basePort: 28800) { harness in
            try await Self.withRemotePair { lab, primary, replica in
                let store = DatabasePrimaryLossDrillTests.datastore(primary, replica)
                #expect(store.members.map(\.host) == [.ssh(address: lab.addresses[0], user: nil, port: nil), .ssh(address: lab.addresses[1], user: nil, port: nil)])
                let (report, _, _) = try await DatabasePrimaryLossDrillTests.drill(harness, store, writesPerSecond: 50)
                let writes = try #require(report.writes, "\(report.text)")
                print("over SSH: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s, lost \(writes.lost ?? -1)")
                #expect(report.outcome == .passed, "\(report.text)")
                #expect(writes.lost == 0)
                #expect((writes.firstWriteOnNewPrimary ?? 99) < 1)
                let injected = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" }?.detail)
                #expect(injected.contains("SIGKILL to postmaster") && injected.contains("on \(lab.addresses[0])"), "\(injected)")
                try await DatabasePrimaryLossDrillTests.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
            }
        }
    }

    @Test func aPrimaryCutOffTheNetworkIsReplacedAndReconnectedBeforeItIsRewound() async throws {
        try await ReleaseHarness.with(basePort: 28820) { harness in
            try await Self.withRemotePair { lab, primary, replica in
                let store = DatabasePrimaryLossDrillTests.datastore(primary, replica)
                let (report, _, _) = try await DatabasePrimaryLossDrillTests.drill(harness, store, writesPerSecond: 50, rto: .seconds(5), mode: .network)
                let writes = try #require(report.writes, "\(report.text)")
                print("network cut: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s, lost \(writes.lost ?? -1), gap \(writes.longestGap)")
                #expect(report.outcome == .passed, "\(report.text)")
                #expect(writes.lost == 0)
                let first = try #require(writes.firstWriteOnNewPrimary, "\(report.text)")
                #expect(first > 0 && first < 5)
                let injected = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" }?.detail)
                #expect(injected.contains("cut off (iptables DROP in and out") && injected.contains("on \(lab.addresses[0])"), "\(injected)")
                let restore = try #require(report.steps.last { $0.step == "restore" }?.detail)
                #expect(restore.contains("pg-a of orders reconnected on \(lab.addresses[0]) (2 DROP rules removed)"), "\(restore)")
                #expect(try Self.drillRules(lab, 0) == [])
                #expect(try await harness.store.pendingRestoreActions(run: report.id).isEmpty)
                try await DatabasePrimaryLossDrillTests.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
            }
        }
    }
}
