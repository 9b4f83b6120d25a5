import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardTesting

/// One failover on a fresh pair: a primary and a streaming replica started (`initdb`, `pg_basebackup -R`), numbered
/// writes through the libpq multi-host string for a second, the primary SIGKILLed and the replica promoted with
/// `pg_ctl promote` (the `db-primary-loss` fault's own code), a second more of writes, then the rows read back from the
/// new primary. Both servers are stopped and removed afterwards whatever happens.
struct FailoverRun: Sendable, Codable {
    /// Kill → the replica answered as primary.
    var promoted: Double?
    /// Kill → the first write acknowledged by the new primary.
    var firstWrite: Double?
    /// Acknowledged before the kill, absent on the new primary.
    var lost: Int?
    var acknowledged: Int
    var failed: Int

    static func measure(_ setting: CommitSetting, writesPerSecond: Int) async throws -> FailoverRun {
        let primary = try PostgresServer.start(settings: setting.primary)
        defer { primary.stop() }
        let replica = try primary.startReplica(settings: setting.replica)
        defer { replica.stop() }
        let members = [member("pg-a", .primary, primary), member("pg-b", .replica, replica)]
        let clients = ClientConnectionString(user: "postgres", hosts: members.map(\.address), database: "postgres", targetSessionAttrs: .readWrite,
                                             connectTimeout: 1)
        let loss = PrimaryLoss(datastore: "bench", primary: members[0], replica: members[1], others: [members[1]], clients: clients,
                               failover: .drillPromotes)
        let probe = WriteProbe(clients: clients, run: "bench-\(UUID().uuidString.prefix(8))", perSecond: writesPerSecond)
        try await probe.start()
        try await Task.sleep(for: .seconds(1))
        let outcome: FailoverOutcome
        do { outcome = try await loss.perform() } catch {
            _ = await probe.stop()
            throw error
        }
        try await Task.sleep(for: .seconds(1))
        let (attempts, ended) = await probe.stop()
        let present: Set<Int>?, failure: String?
        switch await probe.readBack() {
        case .success(let found): present = found; failure = nil
        case .failure(let why): present = nil; failure = why.description
        }
        let report = WriteProbeReport.analyze(attempts: attempts, faultAt: await probe.seconds(outcome.killedAt), endedAt: await probe.seconds(ended),
                                              target: "\(clients)", perSecond: writesPerSecond, oldPrimary: "\(members[0].address)",
                                              newPrimary: "\(members[1].address)",
                                              promotedAfter: outcome.promoted.map { ($0.at - outcome.killedAt).seconds }, present: present,
                                              readBackFailure: failure)
        return FailoverRun(promoted: report.promotedAfter, firstWrite: report.firstWriteOnNewPrimary, lost: report.lost,
                           acknowledged: report.acknowledged, failed: report.errors)
    }

    static func member(_ name: String, _ role: Datastore.Role, _ server: PostgresServer) -> DatastoreMember {
        DatastoreMember(name: name, zone: "zone-a", role: role, address: HostPort(host: "127.0.0.1", port: server.port), dataDirectory: server.dataDirectory,
                        serverOptions: server.serverOptions, binDirectory: server.binDirectory)
    }
}
