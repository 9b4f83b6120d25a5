import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// A real daemon for one test: the repository's topologies/ and playbooks/ copied into a temporary folder,
/// its own state file, the API on an ephemeral loopback port, and a real HTTP client. One token per role
/// (named after the role) is created before the daemon starts; requests send the admin one unless told otherwise.
struct DaemonHarness {
    let folder: URL
    let daemon: Daemon
    let port: Int
    let tokens: [TokenRole: String]
    var store: any StateStore { daemon.store }

    /// Runs `body` against a started daemon, then shuts it down gracefully. `seed` runs before the daemon starts,
    /// `afterShutdown` once it has stopped.
    /// Releases run with a driver that starts no process (a seeded unfinished release is resumed at start:
    /// real gateways would be left running on the example topology's ports). Drills start through
    /// `drillLauncher` (made with the daemon's store; none by default) and schedules read `clock`.
    static func with(seed: (any StateStore) async throws -> Void = { _ in }, makeContext: ReleaseContextFactory? = StalledInstanceDriver.factory,
                     drillLauncher: ((any StateStore) -> any DrillLauncher)? = nil, clock: @escaping DrillScheduleService.Clock = { Date() },
                     afterShutdown: (any StateStore) async throws -> Void = { _ in },
                     configure: (inout DaemonConfiguration) -> Void = { _ in },
                     _ body: (DaemonHarness) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yardd-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["topologies", "playbooks"] {
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        var configuration = DaemonConfiguration(host: "127.0.0.1", port: 0, statePath: folder.appendingPathComponent(".yard/state.sqlite").path,
                                                manifestsDirectory: folder.path)
        configure(&configuration)
        var logger = Logger(label: "yardd-test")
        logger.logLevel = .warning
        let opened = try await Daemon.open(configuration, logger: logger)
        let daemon = Daemon(configuration: configuration, catalog: opened.catalog, store: opened.store, makeContext: makeContext,
                            drillLauncher: drillLauncher?(opened.store), clock: clock, logger: logger)
        var tokens: [TokenRole: String] = [:]
        for role in TokenRole.allCases { tokens[role] = try await APIToken.create(name: role.rawValue, role: role, in: daemon.store) }
        try await seed(daemon.store)
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        let group = daemon.makeServiceGroup(gracefulShutdownSignals: []) { _, port in portSignal.yield(port) }
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let harness = DaemonHarness(folder: folder, daemon: daemon, port: port, tokens: tokens)
        do {
            try await body(harness)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
        try await afterShutdown(daemon.store)
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Reply {
        var status: Int
        var json: Any
        var headers: HTTPHeaders = [:]
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        /// `error.code` of an error body.
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    }

    /// How a request authenticates: as one of the harness's roles, with a given bearer string, or not at all.
    enum Auth {
        case role(TokenRole)
        case bearer(String)
        case none
    }

    func get(_ path: String, as auth: Auth = .role(.admin)) async throws -> Reply { try await send(.GET, path, as: auth) }

    func post(_ path: String, _ body: [String: Any]? = nil, as auth: Auth = .role(.admin)) async throws -> Reply {
        try await send(.POST, path, body: body.map { try JSONSerialization.data(withJSONObject: $0) }, as: auth)
    }

    /// A GET whose body is not read (an event stream): the status and headers only.
    func head(_ path: String, as auth: Auth = .role(.admin)) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        if case .role(let role) = auth { request.headers.add(name: "Authorization", value: "Bearer \(tokens[role]!)") }
        if case .bearer(let value) = auth { request.headers.add(name: "Authorization", value: "Bearer \(value)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status.code == 200 else {
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            return Reply(status: Int(response.status.code), json: (try? JSONSerialization.jsonObject(with: data)) ?? [:], headers: response.headers)
        }
        return Reply(status: 200, json: [:], headers: response.headers)
    }

    func post(_ path: String, raw: String) async throws -> Reply { try await send(.POST, path, body: Data(raw.utf8)) }

    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, as auth: Auth = .role(.admin)) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        switch auth {
        case .role(let role): request.headers.add(name: "Authorization", value: "Bearer \(tokens[role]!)")
        case .bearer(let value): request.headers.add(name: "Authorization", value: "Bearer \(value)")
        case .none: break
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 22)
        let data = Data(buffer: buffer)
        return Reply(status: Int(response.status.code), json: (try? JSONSerialization.jsonObject(with: data)) ?? [:],
                     headers: response.headers)
    }
}

enum Seed {
    static let t0 = Date(timeIntervalSince1970: 1_795_610_096)

    static func plan(service: String = "gateway", version: String = "2.0") -> ReleasePlan {
        ReleasePlan(service: service, topology: "local", version: version, previousVersion: "1.0", before: ["zone-a": .blue, "zone-b": .blue],
                    waves: [["zone-a", "zone-b"]], preGates: [], bakeGates: [], bakeDuration: .seconds(10), bakeInterval: .seconds(1),
                    scaleDownDelay: .seconds(30), keepWarm: false, manualPromotion: false)
    }

    /// A release record in phase `planned`, created `seconds` after t0.
    @discardableResult
    static func release(_ store: any StateStore, id: String, version: String = "2.0", seconds: Int = 0) async throws -> ReleaseRecord {
        let now = t0.addingTimeInterval(TimeInterval(seconds))
        return try await store.createRelease(NewRelease(id: id, startedBy: "ci", machine: ReleaseMachine(plan: plan(version: version)), now: now),
                                             journal: [.note("release of gateway \(version) started by ci")], now: now)
    }
}
