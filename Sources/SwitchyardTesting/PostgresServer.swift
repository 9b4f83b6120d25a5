import Foundation
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
    public let port: Int
    public let folder: URL
    public let binDirectory: String
    public let runAs: String?
    public var dataDirectory: String { folder.appendingPathComponent("data").path }
    public var socketDirectory: String { folder.appendingPathComponent("socket").path }

    /// `postgres://postgres@127.0.0.1:PORT/DATABASE`
    public func url(database: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    private init(port: Int, folder: URL, binDirectory: String, runAs: String?) {
        self.port = port
        self.folder = folder
        self.binDirectory = binDirectory
        self.runAs = runAs
    }

    /// Starts a server, runs `body`, then stops it and removes its folder, whether `body` returned or threw.
    public static func run<T>(_ body: (PostgresServer) async throws -> T) async throws -> T {
        let server = try start()
        defer { server.stop() }
        return try await body(server)
    }

    /// The folder of the newest PostgreSQL's binaries; nil when none is installed.
    public static func findBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name in Int(name).map { (version: $0, bin: "\(root)/\(name)/bin") } }
            .filter { FileManager.default.isExecutableFile(atPath: "\($0.bin)/initdb") }
            .sorted { $0.version > $1.version }
        if let newest = versions.first { return newest.bin }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin"
        return (["/usr/local/bin"] + path.split(separator: ":").map(String.init)).first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }

    public static func start() throws -> PostgresServer {
        guard let bin = findBinaries() else {
            throw TestFailure("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin, /usr/local/bin or PATH): apt-get install postgresql")
        }
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("switchyard-pg-\(UUID().uuidString.prefix(8))")
        let runAs: String? = getuid() == 0 ? "postgres" : nil
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("socket"), withIntermediateDirectories: true)
        var server = PostgresServer(port: 0, folder: folder, binDirectory: bin, runAs: runAs)
        do {
            if let runAs {
                guard let user = getpwnam(runAs) else { throw TestFailure("running as root needs the \(runAs) user (created by Debian's postgresql package)") }
                for path in [folder.path, server.socketDirectory] { chown(path, user.pointee.pw_uid, user.pointee.pw_gid) }
            }
            try server.tool("initdb", ["-D", server.dataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--no-locale"])
            // A port that was free a moment ago may be taken by the time the server binds it: try a few.
            var lastError: (any Error)?
            for _ in 0..<5 {
                let candidate = PostgresServer(port: closedPort().port, folder: folder, binDirectory: bin, runAs: runAs)
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
        try tool("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name])
    }

    /// Stops the server at once and removes its folder.
    public func stop() {
        if FileManager.default.fileExists(atPath: "\(dataDirectory)/postmaster.pid") {
            try? tool("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
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
                            "-o", "-p \(port) -k \(socketDirectory) -c listen_addresses=127.0.0.1 -c fsync=off "
                                + "-c synchronous_commit=off -c full_page_writes=off", "start"])
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
    func tool(_ name: String, _ arguments: [String]) throws -> String {
        let argv = runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", "\(binDirectory)/\(name)"] } ?? ["\(binDirectory)/\(name)"]
        let result = try ChildProcess.runSynchronously(argv + arguments)
        guard result.succeeded else {
            throw TestFailure("\(name) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.output)")
        }
        return result.output
    }
}
