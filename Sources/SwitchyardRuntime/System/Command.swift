import Foundation

/// Runs a short command to completion and captures what it printed.
public enum Command {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var succeeded: Bool { status == 0 }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case couldNotStart(String, String)

        public var description: String {
            switch self {
            case .notFound(let name): "command not found: \(name) (is it installed and on PATH?)"
            case .couldNotStart(let name, let why): "could not start \(name): \(why)"
            }
        }
    }

    /// Runs `arguments` to completion (through `ChildProcess`: posix_spawn and `waitpid` on the child's pid), stdout
    /// and stderr together in `output`. `environment`, when given, is the whole environment.
    public static func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        do {
            let finished = try await ChildProcess.run(arguments, environment: environment)
            return Result(status: finished.status, output: finished.output)
        } catch ChildProcess.Failure.notFound(let name) {
            throw Failure.notFound(name)
        } catch ChildProcess.Failure.couldNotStart(let name, let why) {
            throw Failure.couldNotStart(name, why)
        }
    }
}

/// Finds executables: a path as given, `$SWITCHYARD_BIN_DIR`, the folder of the running executable (so `yard` finds the
/// `yard-gateway` built beside it), then PATH and the sbin folders where Debian puts nginx.
public enum Executables {
    public static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        var folders: [String] = []
        if let override = ProcessInfo.processInfo.environment["SWITCHYARD_BIN_DIR"] { folders.append(override) }
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        folders.append(own)
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent().path { folders.append(bundle) }
        folders += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        folders += ["/usr/local/sbin", "/usr/sbin", "/sbin"]
        return folders.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
