import Foundation
import PostgresNIO
import SwitchyardCore

/// Numbered writes at a steady rate through a datastore's clients' connection string, as an application would write:
/// one session, found as libpq finds it (`ReadWriteConnector`); after an error the session is dropped and the next write
/// connects again. Each write is one row `(run, sequence)` of `switchyard_write_probe`; every attempt is kept with
/// its acknowledgement (when and by which server) or its error. A write is never retried: a failed number stays failed.
public actor WriteProbe {
    public let clients: ClientConnectionString
    public let run: String
    public let perSecond: Int
    /// Longest wait for one write's acknowledgement.
    public let writeTimeout: Duration
    /// Where the probe's times start.
    public let startedAt: ContinuousClock.Instant

    var attempts: [WriteAttempt] = []
    var task: Task<Void, Never>?
    var endedAt: ContinuousClock.Instant?
    /// Set by `stop()`: the loop ends after the write in flight (a cancelled task would cut that write off and count
    /// it failed, a failure of the probe's own making).
    var stopping = false

    static let table = "switchyard_write_probe"

    public init(clients: ClientConnectionString, run: String, perSecond: Int, writeTimeout: Duration = .seconds(2)) {
        self.clients = clients
        self.run = run
        self.perSecond = perSecond
        self.writeTimeout = writeTimeout
        startedAt = ContinuousClock.now
    }

    /// Creates the probe's table on the primary (it replicates to the others), then starts writing.
    public func start() async throws {
        let (connection, _) = try await ReadWriteConnector.connect(clients)
        defer { PostgresSession.close(connection) }
        try await Deadline.run(within: .seconds(10)) {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(Self.table) (run text NOT NULL, sequence bigint NOT NULL, "
                + "written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, sequence))"), logger: PostgresSession.logger)
        }
        task = Task { await self.loop() }
    }

    /// Stops writing (the write in flight is let finish) and returns every attempt, with the instant it stopped.
    public func stop() async -> (attempts: [WriteAttempt], endedAt: ContinuousClock.Instant) {
        if let task {
            stopping = true
            await task.value
        }
        task = nil
        let end = endedAt ?? ContinuousClock.now
        endedAt = end
        return (attempts, end)
    }

    /// The sequence numbers of this run found on the primary now.
    public func readBack() async -> Result<Set<Int>, ReadBackFailure> {
        do {
            let (connection, _) = try await ReadWriteConnector.connect(clients)
            defer { PostgresSession.close(connection) }
            let run = self.run
            let found = try await Deadline.run(within: .seconds(15)) {
                var found = Set<Int>()
                for try await sequence in try await connection.query("SELECT sequence FROM switchyard_write_probe WHERE run = \(run)",
                                                                    logger: PostgresSession.logger).decode(Int.self) {
                    found.insert(sequence)
                }
                return found
            }
            return .success(found)
        } catch {
            return .failure(ReadBackFailure(description: PostgresErrorReason.text(error)))
        }
    }

    public struct ReadBackFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public func seconds(_ instant: ContinuousClock.Instant) -> Double { (instant - startedAt).seconds }

    private func loop() async {
        let interval = Duration.seconds(1) / perSecond
        var session: (connection: PostgresConnection, server: HostPort)?
        var next = ContinuousClock.now
        var sequence = 0
        while !stopping && !Task.isCancelled {
            sequence += 1
            let sentAt = seconds(ContinuousClock.now)
            do {
                if session == nil { session = try await ReadWriteConnector.connect(clients) }
                guard case let (connection, server)? = session else { continue }
                let run = self.run, number = sequence
                // postgres-nio may never answer a query written as the server's side closes (seen here: 1 kill in 3 left
                // the write in flight unanswered until the deadline), where libpq would see the end of the stream: a
                // closed connection fails the write at once.
                try await Deadline.run(within: writeTimeout, abandonWhen: { connection.isClosed ? "the server closed the connection" : nil }) {
                    try await connection.query("INSERT INTO switchyard_write_probe (run, sequence) VALUES (\(run), \(number))", logger: PostgresSession.logger)
                }
                attempts.append(WriteAttempt(sequence: sequence, sentAt: sentAt, acknowledgedAt: seconds(ContinuousClock.now), server: "\(server)"))
            } catch {
                let failedAt = seconds(ContinuousClock.now)
                let took = Int(((failedAt - sentAt) * 1000).rounded())
                attempts.append(WriteAttempt(sequence: sequence, sentAt: sentAt, error: "\(PostgresErrorReason.text(error)) (after \(took) ms)", failedAt: failedAt))
                if let connection = session?.connection { PostgresSession.close(connection) }
                session = nil
            }
            // A steady rate: the next write at the next tick, or at once when this one took longer (no catching up in bursts).
            next = max(next + interval, ContinuousClock.now)
            try? await Task.sleep(until: next, clock: .continuous)
        }
        if let connection = session?.connection { PostgresSession.close(connection) }
        endedAt = ContinuousClock.now
    }
}
