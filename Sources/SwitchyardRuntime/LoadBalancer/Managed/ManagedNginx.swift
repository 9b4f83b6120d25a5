import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs one nginx for a load balancer: renders its configuration, checks it with `nginx -t`
/// before every reload, reloads atomically, and confirms the reload took effect: the switch is
/// complete when every worker of the old generation has stopped accepting (nginx keeps them
/// accepting for about 100 ms after HUP), not at the first answer from the new slot.
public actor ManagedNginx: LoadBalancerDriver {
    public let balancer: LoadBalancer
    /// Absolute prefix: conf/, logs/, temp/ and nginx.pid live under it.
    public let prefix: String
    public let binary: String

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case invalidConfiguration(String)
        case startFailed(String)
        case notRunning(String)
        case reloadNotConfirmed(String)
        case render(NginxConfig.RenderError)

        public var description: String {
            switch self {
            case .invalidConfiguration(let output): "nginx -t rejected the new configuration; the old one stays: \(output)"
            case .startFailed(let output): "nginx did not start: \(output)"
            case .notRunning(let why): "nginx is not running: \(why)"
            case .reloadNotConfirmed(let why): "the reload was not confirmed: \(why)"
            case .render(let error): error.description
            }
        }
    }

    public init(balancer: LoadBalancer, workingDirectory: String = FileManager.default.currentDirectoryPath, binary: String = "nginx") {
        self.balancer = balancer
        let directory = balancer.directory
        prefix = directory.hasPrefix("/") ? directory : URL(fileURLWithPath: workingDirectory).appendingPathComponent(directory).standardized.path
        self.binary = Executables.resolve(binary) ?? binary
    }

    var configPath: String { "\(prefix)/conf/nginx.conf" }
    var pidPath: String { "\(prefix)/nginx.pid" }

    /// The master's pid when this balancer's nginx runs.
    public var masterPID: Int32? {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              ProcessTable.isAlive(pid), ProcessTable.commandLine(of: pid)?.hasPrefix("nginx: master") == true else { return nil }
        return pid
    }

    public var isRunning: Bool { masterPID != nil }

    public nonisolated var accessLog: String? { "\(prefix)/\(NginxConfig.accessLogPath)" }

    /// Starts nginx with `config`, or reloads it when it already runs.
    public func start(_ config: NginxConfig) async throws {
        if isRunning { _ = try await apply(config); return }
        try prepareFolders()
        rotateAccessLog()
        let text = try render(config)
        let staging = configPath + ".next"
        try await check(text, writeTo: staging)
        guard rename(staging, configPath) == 0 else { throw Failure.invalidConfiguration("cannot install \(staging): \(String(cString: strerror(errno)))") }
        // Not through a pipe: the daemonised master would inherit it and keep it open for ever.
        let startLog = "\(prefix)/logs/start.log"
        let launcher = try Spawner.spawn([binary, "-p", prefix, "-c", configPath, "-e", "\(prefix)/logs/error.log"], logPath: startLog)
        let status = await Spawner.waitForExit(launcher, timeout: .seconds(10))
        guard status == 0 else {
            let output = (try? String(contentsOfFile: startLog, encoding: .utf8)) ?? ""
            throw Failure.startFailed("exit \(status.map(String.init) ?? "timeout"): \(output)" + errorLogTail())
        }
        for _ in 0..<200 {
            if isRunning, canConnect(balancer.listen) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure.startFailed("no master process or listener after 2 s" + errorLogTail())
    }

    /// Checks and installs `config`, reloads, and waits until the old generation stops accepting.
    @discardableResult
    public func apply(_ config: NginxConfig) async throws -> LoadBalancerSwitch {
        guard let master = masterPID else { throw Failure.notRunning("no live master in \(pidPath)") }
        let text = try render(config)
        let clock = ContinuousClock()
        let checkStart = clock.now
        let staging = configPath + ".next"
        try await check(text, writeTo: staging)
        let checked = clock.now - checkStart
        let oldWorkers = workers(of: master).filter { !$0.shuttingDown }.map(\.pid)
        rotateAccessLog()
        guard rename(staging, configPath) == 0 else { throw Failure.invalidConfiguration("cannot install \(staging): \(String(cString: strerror(errno)))") }
        let sent = clock.now
        guard kill(master, SIGHUP) == 0 else { throw Failure.notRunning("cannot signal master \(master): \(String(cString: strerror(errno)))") }
        while clock.now - sent < .seconds(5) {
            let now = workers(of: master)
            let fresh = now.filter { !oldWorkers.contains($0.pid) && !$0.shuttingDown }
            let oldAccepting = now.filter { oldWorkers.contains($0.pid) && !$0.shuttingDown }
            if !fresh.isEmpty, oldAccepting.isEmpty {
                return LoadBalancerSwitch(checked: checked, complete: clock.now - sent, oldWorkers: now.filter { oldWorkers.contains($0.pid) }.map(\.pid),
                                    draining: now.filter(\.shuttingDown).count)
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw Failure.reloadNotConfirmed("old workers \(oldWorkers) still accept 5 s after HUP" + errorLogTail())
    }

    /// Stops nginx: gracefully (old streams finish) or at once.
    /// Switchyard starts this nginx itself: what must be there beforehand is the executable.
    public func preflight() async throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure.startFailed("\(binary) not found (install nginx, e.g. apt-get install nginx)")
        }
    }

    public func stop(graceful: Bool, timeout: Duration) async {
        guard let master = masterPID else { return }
        kill(master, graceful ? SIGQUIT : SIGTERM)
        let clock = ContinuousClock()
        let start = clock.now
        while ProcessTable.isAlive(master), clock.now - start < timeout { try? await Task.sleep(for: .milliseconds(10)) }
        if ProcessTable.isAlive(master) {
            for worker in ProcessTable.children(of: master) { kill(worker, SIGKILL) }
            kill(master, SIGKILL)
        }
    }

    /// Workers of the old generations still finishing streams.
    public func drainingWorkers() -> [Int32] {
        guard let master = masterPID else { return [] }
        return workers(of: master).filter(\.shuttingDown).map(\.pid)
    }

    // MARK: parts

    struct Worker { var pid: Int32; var shuttingDown: Bool }

    func workers(of master: Int32) -> [Worker] {
        ProcessTable.children(of: master).compactMap { pid in
            guard let title = ProcessTable.commandLine(of: pid), title.hasPrefix("nginx: worker process") else { return nil }
            return Worker(pid: pid, shuttingDown: title.contains("shutting down"))
        }
    }

    private func render(_ config: NginxConfig) throws -> String {
        do { return try config.render() } catch { throw Failure.render(error) }
    }

    private func check(_ text: String, writeTo path: String) async throws {
        try prepareFolders()
        try Self.writeExclusively(text, to: path)
        let result = try await Command.run([binary, "-t", "-q", "-p", prefix, "-c", path, "-e", "\(prefix)/logs/error.log"])
        guard result.succeeded else {
            try? FileManager.default.removeItem(atPath: path + ".rejected")
            try? FileManager.default.moveItem(atPath: path, toPath: path + ".rejected")
            throw Failure.invalidConfiguration(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Writes a new file at `path` (a leftover is removed first), created with O_EXCL and O_NOFOLLOW: a file or link
    /// planted there is never written through.
    static func writeExclusively(_ text: String, to path: String) throws {
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.invalidConfiguration("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure.invalidConfiguration("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    /// conf/ and logs/ are 0755 and owned by whoever runs Switchyard; only temp/'s folders are writable by nginx's
    /// workers, which run as `nobody` when the master runs as root (0700, owned by that user), or as this user.
    private func prepareFolders() throws {
        for folder in ["", "/conf", "/logs", "/temp"] {
            let path = prefix + folder
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(path, 0o755)
        }
        let worker = geteuid() == 0 ? getpwnam("nobody")?.pointee : nil
        for folder in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            let path = "\(prefix)/temp/\(folder)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(path, 0o700)
            if let worker { chown(path, worker.pw_uid, worker.pw_gid) }
        }
    }

    /// Past `accessLogLimit` bytes, the access log becomes `access.json.1` (replacing the one before) before a start
    /// or a reload, which opens a fresh file: the new generation logs there, draining workers finish in the old one.
    private func rotateAccessLog() {
        let path = "\(prefix)/\(NginxConfig.accessLogPath)"
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? UInt64, size > Self.accessLogLimit else { return }
        rename(path, path + ".1")
    }

    static let accessLogLimit: UInt64 = 64 << 20

    private func errorLogTail() -> String {
        guard let text = try? String(contentsOfFile: "\(prefix)/logs/error.log", encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").suffix(3)
        return lines.isEmpty ? "" : " (error.log: \(lines.joined(separator: " | ")))"
    }

    private func canConnect(_ address: HostPort) -> Bool { TCPProbe.canConnect(address) }
}
