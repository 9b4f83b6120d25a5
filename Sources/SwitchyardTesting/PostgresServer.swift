import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// A real PostgreSQL server of a test's own: `initdb` on a temporary data directory, `pg_ctl start` on a free port of
/// 127.0.0.1 with a unix socket directory of its own, trust authentication for the `postgres` user, fsync off (the
/// data is thrown away). `stop()` stops it (immediate mode) and removes the folder; `PostgresServer.run` does so also
/// when the body throws.
///
/// Debian keeps the binaries in /usr/lib/postgresql/VERSION/bin, off PATH: the newest version there is used, else
/// /usr/local/bin or PATH. initdb refuses to run as root, so under root the server runs as the `postgres` user (which
/// the Debian package creates) through `runuser`, and its folder is handed to that user.
public final class PostgresServer: Sendable {
    /// How the server runs. The defaults throw durability away for speed (the data of most tests is thrown away):
    /// fsync, synchronous_commit and full_page_writes off. Replication tests set what they measure.
    public struct Settings: Sendable, Hashable {
        public var fsync: Bool
        public var synchronousCommit: Bool
        /// pg_rewind needs full_page_writes on (and wal_log_hints, set with it here).
        public var fullPageWrites: Bool
        /// Set on a primary only: a promoted replica that inherits it blocks every write until a new standby attaches.
        public var synchronousStandbyNames: String?
        /// More `-c name=value` settings, in order.
        public var extra: [(String, String)]
        /// `initdb --data-checksums`: what pg_rewind needs of the target when wal_log_hints is not in its configuration
        /// file (pg_rewind's own crash recovery of a killed primary runs without the command line's settings).
        public var dataChecksums = false
        /// Lines appended to the data directory's postgresql.conf (copied to replicas by pg_basebackup): what must hold
        /// also where the command line does not reach, such as pg_rewind's single-user crash recovery of the target.
        public var configFile: [String] = []
        /// The address it listens on; another than loopback (a namespace host's) also gets trust lines in pg_hba.conf
        /// for every address, clients and replication.
        public var listen = "127.0.0.1"
        /// The network namespace it runs in (`ip netns exec`): a host of a `NetnsLab`. Its data stays on the shared file
        /// system.
        public var namespace: String?

        public init(fsync: Bool = false, synchronousCommit: Bool = false, fullPageWrites: Bool = false, synchronousStandbyNames: String? = nil,
                    extra: [(String, String)] = []) {
            self.fsync = fsync
            self.synchronousCommit = synchronousCommit
            self.fullPageWrites = fullPageWrites
            self.synchronousStandbyNames = synchronousStandbyNames
            self.extra = extra
        }

        /// For a primary and its streaming replicas: full_page_writes and wal_log_hints on (pg_rewind), and the
        /// replica noticing a promotion at once (`wal_retrieve_retry_interval` 100 ms: its default 5 s delays one promotion in
        /// three right after the primary's loss by 5 s, DRILL-FACTS.md).
        public static func replication(synchronousCommit: Bool, synchronousStandby: Bool = false) -> Settings {
            var settings = Settings(fsync: true, synchronousCommit: synchronousCommit, fullPageWrites: true,
                                    synchronousStandbyNames: synchronousStandby ? "'*'" : nil,
                                    extra: [("wal_log_hints", "on"), ("wal_retrieve_retry_interval", "100ms")])
            settings.dataChecksums = true
            // pg_rewind's crash recovery of a killed primary ends with a checkpoint that recycles the WAL before it, which
            // pg_rewind then needs to find the last checkpoint in common ("could not find previous WAL record").
            settings.configFile = ["wal_keep_size = 256MB"]
            return settings
        }

        /// These settings on the host `listen` of namespace `namespace`.
        public func on(_ listen: String, namespace: String) -> Settings {
            var settings = self
            settings.listen = listen
            settings.namespace = namespace
            return settings
        }

        public static func == (a: Settings, b: Settings) -> Bool {
            a.options == b.options && a.dataChecksums == b.dataChecksums && a.configFile == b.configFile && a.listen == b.listen && a.namespace == b.namespace
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(options) }

        var options: String {
            var words = ["-c fsync=\(fsync ? "on" : "off")", "-c synchronous_commit=\(synchronousCommit ? "on" : "off")",
                         "-c full_page_writes=\(fullPageWrites ? "on" : "off")"]
            if let synchronousStandbyNames { words.append("-c synchronous_standby_names=\(synchronousStandbyNames)") }
            words += extra.map { "-c \($0.0)=\($0.1)" }
            return words.joined(separator: " ")
        }
    }

    public let port: Int
    public let folder: URL
    public let binDirectory: String
    public let runAs: String?
    public let settings: Settings
    public var dataDirectory: String { folder.appendingPathComponent("data").path }
    public var socketDirectory: String { folder.appendingPathComponent("socket").path }

    /// `postgres://postgres@HOST:PORT/DATABASE`
    public func url(database: String) -> String { "postgres://postgres@\(settings.listen):\(port)/\(database)" }

    /// The address it listens on and its port.
    public var address: HostPort { HostPort(host: settings.listen, port: port) }

    private init(port: Int, folder: URL, binDirectory: String, runAs: String?, settings: Settings) {
        self.port = port
        self.folder = folder
        self.binDirectory = binDirectory
        self.runAs = runAs
        self.settings = settings
    }

    /// What `postgres` is started with besides `-p PORT` (pg_ctl passes it through a shell): the socket folder, the
    /// loopback address and the settings. A drill that starts the server again passes the same.
    public var serverOptions: String { "-k \(socketDirectory) -c listen_addresses=\(settings.listen) \(settings.options)" }

    /// Starts a server, runs `body`, then stops it and removes its folder, whether `body` returned or threw.
    public static func run<T>(_ body: (PostgresServer) async throws -> T) async throws -> T {
        let server = try start()
        defer { server.stop() }
        return try await body(server)
    }

    public static func start(settings: Settings = Settings()) throws -> PostgresServer {
        try start(settings: settings) { server in
            try server.tool("initdb", ["-D", server.dataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--no-locale"]
                + (settings.dataChecksums ? ["--data-checksums"] : []))
        }
    }

    /// A streaming replica of this server: `pg_basebackup -R` (standby.signal and primary_conninfo written) into a folder
    /// of its own, started on a port of its own with `settings`. Stop it with `stop()` as any server.
    public func startReplica(settings: Settings) throws -> PostgresServer {
        let source = address
        return try Self.start(settings: settings) { replica in
            try replica.tool("pg_basebackup", ["-h", source.host, "-p", "\(source.port)", "-U", "postgres", "-D", replica.dataDirectory, "-R", "-X", "stream", "-c", "fast"])
        }
    }

    /// A folder of its own, the data directory made by `makeData`, then the server started on a free port.
    private static func start(settings: Settings, makeData: (PostgresServer) throws -> Void) throws -> PostgresServer {
        guard let bin = PostgresBinaries.find(holding: "initdb") else {
            throw TestFailure("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin, /usr/local/bin or PATH): apt-get install postgresql")
        }
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("switchyard-pg-\(UUID().uuidString.prefix(8))")
        let runAs: String? = getuid() == 0 ? "postgres" : nil
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("socket"), withIntermediateDirectories: true)
        var server = PostgresServer(port: 0, folder: folder, binDirectory: bin, runAs: runAs, settings: settings)
        do {
            if let runAs {
                guard let user = getpwnam(runAs) else { throw TestFailure("running as root needs the \(runAs) user (created by Debian's postgresql package)") }
                for path in [folder.path, server.socketDirectory] { chown(path, user.pointee.pw_uid, user.pointee.pw_gid) }
            }
            try makeData(server)
            if settings.listen != "127.0.0.1", let handle = FileHandle(forWritingAtPath: "\(server.dataDirectory)/pg_hba.conf") {
                handle.seekToEndOfFile()
                handle.write(Data("\nhost all all 0.0.0.0/0 trust\nhost replication all 0.0.0.0/0 trust\n".utf8))
                try? handle.close()
            }
            if !settings.configFile.isEmpty, let handle = FileHandle(forWritingAtPath: "\(server.dataDirectory)/postgresql.conf") {
                handle.seekToEndOfFile()
                handle.write(Data(("\n" + settings.configFile.joined(separator: "\n") + "\n").utf8))
                try? handle.close()
            }
            // A port that was free a moment ago may be taken by the time the server binds it: try a few.
            var lastError: (any Error)?
            for _ in 0..<5 {
                let candidate = PostgresServer(port: closedPort().port, folder: folder, binDirectory: bin, runAs: runAs, settings: settings)
                do {
                    try candidate.startServer()
                    server = candidate
                    lastError = nil
                    break
                } catch {
                    lastError = error
                }
            }
            if let lastError { throw lastError }
            return server
        } catch {
            server.stop()
            throw error
        }
    }

    /// Creates an empty database.
    public func createDatabase(_ name: String) throws {
        try tool("createdb", ["-h", settings.listen, "-p", "\(port)", "-U", "postgres", name])
    }

    /// Stops the server at once and removes its folder.
    public func stop() {
        if FileManager.default.fileExists(atPath: "\(dataDirectory)/postmaster.pid") {
            // Signals only: works also when the namespace is gone.
            try? tool("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], inNamespace: false)
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Restarts the server on the same port (a PostgreSQL restart mid-test).
    public func restart() throws {
        try tool("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "restart"])
    }

    /// `pg_ctl start` on this server's port, folder and settings.
    private func startServer() throws {
        try tool("pg_ctl", ["-D", dataDirectory, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "30",
                            "-o", "-p \(port) \(serverOptions)", "start"])
    }

    /// A crash of the server: stopped at once (`-m immediate`: every connection dropped, no checkpoint), down for
    /// `downFor`, then started again on the same port, recovering from its log as after a power cut.
    public func crash(downFor: Duration) throws {
        try tool("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
        Thread.sleep(forTimeInterval: downFor.seconds)
        try startServer()
    }

    /// Runs one of the server's binaries (as `runAs` under root), failing with its output when it exits non-zero.
    /// Through `ChildProcess` (output to a file, not a pipe: the server that `pg_ctl start` leaves running inherits the
    /// descriptor, and a pipe would never reach its end; waitpid on the child's own pid).
    @discardableResult
    public func tool(_ name: String, _ arguments: [String], inNamespace: Bool = true) throws -> String {
        let program = runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", "\(binDirectory)/\(name)"] } ?? ["\(binDirectory)/\(name)"]
        let argv = (inNamespace ? settings.namespace.map { ["ip", "netns", "exec", $0] } ?? [] : []) + program
        let result = try ChildProcess.runSynchronously(argv + arguments)
        guard result.succeeded else {
            throw TestFailure("\(name) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.output)")
        }
        return result.output
    }
}
