import Foundation
import Synchronization
import SwitchyardCore

/// The real `yard-gateway` executable as a child process, for tests that need a real instance.
///
/// Where the binary is: `$YARD_GATEWAY_BINARY` if set; otherwise next to the test bundle (the
/// test runner's `argv[0]`, or `Bundle.main`, lives in the same build folder as the executables,
/// `.build/<triple>/debug/`); otherwise `<package root>/.build/debug/yard-gateway`, the package
/// root found from this file's `#filePath`. `swift build --build-tests` and `swift test` build it.
// Process is not Sendable; this wrapper only reads its pid and status and sends it signals,
// which are safe from any thread, and never mutates it after `run()`.
public final class GatewayProcess: @unchecked Sendable {
    public let process: Process
    public let port: Int
    private let box: OutputBox

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var address: HostPort { HostPort(host: "127.0.0.1", port: port) }
    public var chatURL: String { baseURL + "/v1/chat/completions" }
    public var pid: Int32 { process.processIdentifier }

    public static func binary(filePath: String = #filePath) throws -> URL {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["YARD_GATEWAY_BINARY"] { candidates.append(URL(fileURLWithPath: path)) }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("yard-gateway"))
        if let bundle = Bundle.main.executableURL {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("yard-gateway"))
        }
        // This file is Sources/SwitchyardTesting/GatewayProcess.swift: three levels below the package root.
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/yard-gateway"))
        guard let found = candidates.first(where: { fileManager.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("yard-gateway not found (tried \(candidates.map(\.path))); run `swift build --build-tests` or set YARD_GATEWAY_BINARY")
        }
        return found
    }

    private init(process: Process, port: Int, box: OutputBox) {
        self.process = process
        self.port = port
        self.box = box
    }

    /// Starts `yard-gateway --port 0 <arguments>`, waits for `listening on HOST:PORT`, runs `body`,
    /// and kills the process (SIGKILL) if it is still running when `body` returns or throws.
    public static func with<T: Sendable>(
        _ arguments: [String], environment: [String: String] = [:], _ body: (GatewayProcess) async throws -> T
    ) async throws -> T {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = ["--port", "0"] + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let box = OutputBox()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            box.append(String(decoding: data, as: UTF8.self))
        }
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        var port: Int?
        while port == nil, clock.now < deadline, process.isRunning {
            port = box.listeningPort()
            if port == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let port else { throw TestFailure("yard-gateway did not print 'listening on'; output: \(box.text)") }
        let gateway = GatewayProcess(process: process, port: port, box: box)
        return try await withTaskCancellationHandler {
            try await body(gateway)
        } onCancel: {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Everything the process printed so far.
    public var printed: String { box.text }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit, at most `timeout`; returns the status, or nil if it is still running.
    public func waitForExit(timeout: Duration) async throws -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// The child's standard output, filled by the pipe's handler thread and read by the test.
final class OutputBox: Sendable {
    private let buffer = Mutex("")
    func append(_ text: String) { buffer.withLock { $0 += text } }
    var text: String { buffer.withLock { $0 } }

    public func listeningPort() -> Int? {
        text.split(separator: "\n").lazy.compactMap { line -> Int? in
            guard line.hasPrefix("listening on "), let colon = line.lastIndex(of: ":") else { return nil }
            return Int(line[line.index(after: colon)...])
        }.first
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A loopback port nothing listens on: bound, then closed at once.
public func closedPort() -> HostPort {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return HostPort(host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)))
}
