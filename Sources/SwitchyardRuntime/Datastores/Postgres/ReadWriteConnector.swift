import PostgresNIO
import SwitchyardCore

/// Connects as libpq does with a multi-host connection string: the hosts in order, each within `connect_timeout`, and
/// with `target_session_attrs=read-write` only a server whose `transaction_read_only` is off (the primary) is kept.
enum ReadWriteConnector {
    struct NoServer: Error, Sendable, CustomStringConvertible {
        var tried: [String]
        var description: String { "no server accepted a \(tried.isEmpty ? "" : "read-write ")session: \(tried.joined(separator: "; "))" }
    }

    static func connect(_ clients: ClientConnectionString) async throws -> (connection: PostgresConnection, server: HostPort) {
        var tried: [String] = []
        let timeout = Duration.seconds(clients.connectTimeout)
        for host in clients.hosts {
            do {
                let connection = try await PostgresSession.connect(host, as: clients, timeout: timeout)
                switch clients.targetSessionAttrs {
                case .any:
                    return (connection, host)
                case .readWrite:
                    let readOnly = try await PostgresSession.value("SHOW transaction_read_only", on: connection, as: String.self, timeout: timeout)
                    if readOnly == "off" { return (connection, host) }
                    PostgresSession.close(connection)
                    tried.append("\(host): read-only")
                }
            } catch {
                tried.append("\(host): \(PostgresErrorReason.text(error))")
            }
        }
        throw NoServer(tried: tried)
    }
}
