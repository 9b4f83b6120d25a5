import Foundation
import Synchronization
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

public enum ReleaseBenchVariant: String, Sendable, Codable, CaseIterable {
    /// A Switchyard release of a good version, then a release of a faulty one that the bake rolls back.
    case switchyard
    /// Start the new slot, rewrite nginx's configuration, `nginx -s reload`, SIGKILL the old slot as soon as it returns.
    case naiveKill = "naive-kill"
    /// The same with SIGTERM (a graceful drain started during the reload overlap).
    case naiveTerm = "naive-term"
    /// A Switchyard release of a version whose instances all exit a few seconds after they start, mid-bake:
    /// once with the old slot as nginx backup servers, once without.
    case crashMidBake = "crash-mid-bake"
}

public struct ReleaseBenchOptions: Sendable, Codable, Hashable {
    public var trials = 3
    public var variants: [ReleaseBenchVariant] = ReleaseBenchVariant.allCases
    public var requestsPerSecond = 100.0
    public var streams = 50
    /// Tokens per stream, one every 100 ms: 100 makes a stream of about 10 s.
    public var streamTokens = 100
    public var bake = TimeSpan.seconds(5)
    public var scaleDownDelay = TimeSpan.ms(0)
    /// Load before the switch, so that every stream is open on the old slot.
    public var warmup = TimeSpan.seconds(2)
    /// The faulty version's `YARD_FAULT_FIRST_TOKEN_LATENCY`, against a p99 time-to-first-token gate of `ttftGate`.
    public var faultFirstTokenLatency = TimeSpan.ms(400)
    public var ttftGate = TimeSpan.ms(250)
    /// The crashing version's `YARD_FAULT_CRASH_AFTER`: from its instances' start, so that they die during the bake.
    public var faultCrashAfter = TimeSpan.seconds(3)
    /// Each variant uses `basePort + 20 * index` .. `+ 11` on 127.0.0.1.
    public var basePort = 23100

    public init() {}

    var streamLength: Duration { .milliseconds(Int64(streamTokens) * 100) }
}

/// The release benchmark: Switchyard's release and naive switches under the same load, on real
/// nginx and real `yard-gateway` processes, each trial on a fresh fleet that is always taken down.
public struct ReleaseBench: Sendable {
    public let options: ReleaseBenchOptions
    let root: URL
    let progress: @Sendable (String) -> Void

    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case leftovers([Int32])

        public var description: String {
            switch self {
            case .missing(let name): "\(name) not found (looked in $SWITCHYARD_BIN_DIR, beside this executable and on PATH)"
            case .leftovers(let pids): "processes still running after the run: \(pids)"
            }
        }
    }

    public init(options: ReleaseBenchOptions, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
        root = FileManager.default.temporaryDirectory.appendingPathComponent("yard-bench-release-\(getpid())")
    }

    public func run() async throws -> ReleaseBenchReport {
        for name in ["yard-gateway", "nginx"] where Executables.resolve(name) == nil { throw Failure.missing(name) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var trials: [ReleaseBenchTrial] = []
        for trial in 1...max(1, options.trials) {
            for (index, variant) in options.variants.enumerated() {
                progress("trial \(trial)/\(options.trials): \(variant.rawValue)")
                let base = options.basePort + 20 * index
                let results = try await onFreshFleet(basePort: base) { fleet, loads in
                    switch variant {
                    case .switchyard: try await switchyard(fleet, loads: loads, trial: trial)
                    case .naiveKill: [try await naive(fleet, loads: loads, signal: SIGKILL, trial: trial)]
                    case .naiveTerm: [try await naive(fleet, loads: loads, signal: SIGTERM, trial: trial)]
                    case .crashMidBake: try await crashMidBake(fleet, loads: loads, trial: trial)
                    }
                }
                for result in results { progress("  " + ReleaseBenchReport(options: options, trials: [result]).trialLines[0]) }
                trials += results
            }
        }
        return ReleaseBenchReport(options: options, trials: trials)
    }

    // MARK: fleets

    /// Loads running now, so that a failure or a cancellation stops them before the fleet goes down.
    final class Loads: Sendable {
        private let running = Mutex<[LoadGenerator]>([])
        func add(_ load: LoadGenerator) { running.withLock { $0.append(load) } }
        func stopAll() async { for load in running.withLock({ $0 }) { _ = await load.stop() } }
    }

    /// Runs `body` on a fleet up at 1.0.0 and always kills the fleet after, even when cancelled.
    func onFreshFleet(basePort: Int, _ body: (ScratchFleet, Loads) async throws -> [ReleaseBenchTrial]) async throws -> [ReleaseBenchTrial] {
        let fleet = try ScratchFleet(basePort: basePort, root: root, bake: options.bake, scaleDownDelay: options.scaleDownDelay,
                                     ttftGate: options.ttftGate, smokeTimeout: .seconds(10))
        let loads = Loads()
        // Teardown in a task of its own: it must run to its end even when the benchmark was cancelled.
        let teardown: @Sendable () async -> Void = {
            await Task {
                await loads.stopAll()
                await fleet.forceDown()
            }.value
        }
        do {
            try await fleet.up("1.0.0")
            let results = try await body(fleet, loads)
            await teardown()
            return results
        } catch {
            await teardown()
            throw error
        }
    }

    func startLoad(_ fleet: ScratchFleet, _ loads: Loads) -> LoadGenerator {
        let load = fleet.load(rps: options.requestsPerSecond, streams: options.streams, streamTokens: options.streamTokens)
        loads.add(load)
        load.start()
        return load
    }

    // MARK: Switchyard

    func switchyard(_ fleet: ScratchFleet, loads: Loads, trial: Int) async throws -> [ReleaseBenchTrial] {
        let watcher = ConfigWatcher(path: "\(try fleet.context().nginx.prefix)/conf/nginx.conf")
        watcher.start()
        defer { watcher.stop() }
        let good = try await oneRelease(fleet, loads: loads, version: "2.0.0", environment: [:], watcher: watcher, trial: trial, name: "switchyard release")
        let bad = try await oneRelease(fleet, loads: loads, version: "3.0.0-slow",
                                       environment: ["YARD_FAULT_FIRST_TOKEN_LATENCY": options.faultFirstTokenLatency.description],
                                       watcher: watcher, trial: trial, name: "switchyard rollback")
        return [good, bad]
    }

    /// A crashing version, with and without the old slot as backup servers: failed requests, streams cut,
    /// and the crash seen → traffic back (`rollbackMs`).
    func crashMidBake(_ fleet: ScratchFleet, loads: Loads, trial: Int) async throws -> [ReleaseBenchTrial] {
        let watcher = ConfigWatcher(path: "\(try fleet.context().nginx.prefix)/conf/nginx.conf")
        watcher.start()
        defer { watcher.stop() }
        let environment = ["YARD_FAULT_CRASH_AFTER": options.faultCrashAfter.description]
        let backed = try await oneRelease(fleet, loads: loads, version: "3.0.0-crash", environment: environment, watcher: watcher,
                                          trial: trial, name: "crash mid-bake, backup", backup: true)
        let bare = try await oneRelease(fleet, loads: loads, version: "3.0.1-crash", environment: environment, watcher: watcher,
                                        trial: trial, name: "crash mid-bake, no backup", backup: false)
        return [backed, bare]
    }

    /// One release under its own window of load: warm-up, the release, one more second.
    func oneRelease(_ fleet: ScratchFleet, loads: Loads, version: String, environment: [String: String], watcher: ConfigWatcher,
                    trial: Int, name: String, backup: Bool = true) async throws -> ReleaseBenchTrial {
        let anchor = ClockAnchor()
        let live = try await fleet.store.routing(service: fleet.service.name)?.live.values.first ?? .blue
        let load = startLoad(fleet, loads)
        try await Task.sleep(for: options.warmup.duration)
        let log = UpdateLog()
        let clock = ContinuousClock()
        let began = clock.now
        var context = try fleet.context(environment: environment)
        context.oldSlotBacksNewSlot = backup
        let summary = try await ReleaseRunner(context: context, onUpdate: { log.append($0) }).release(version: version)
        let ended = clock.now
        // Load goes on until every stream open at the switch has had time to end (so a cut would be
        // counted, not abandoned), and at least 1 s after the release.
        try await clock.sleep(until: max(ended + .seconds(1), began + options.streamLength + .seconds(1)))
        let report = await load.stop()
        let loadStart = anchor.instant(of: report.startedAt)
        func at(_ seconds: Double) -> ContinuousClock.Instant { loadStart + .seconds(seconds) }

        var result = Self.counts(report, variant: name, trial: trial)
        result.outcome = summary.outcome.rawValue
        result.switchMs = summary.switchMilliseconds
        result.rollbackMs = summary.rollbackMilliseconds
        result.wallMs = milliseconds(from: began, to: ended)
        let events = log.all
        let switched = events.first { if case .switched = $0.1 { true } else { false } }?.0
        if let switched, let reload = watcher.lastRename(before: switched) {
            if let old = report.sighting(slot: live.rawValue), version == "2.0.0" { result.userSwitchMs = milliseconds(from: reload, to: at(old.lastAnswer)) }
            if let new = report.sighting(slot: live.other.rawValue) { result.firstNewMs = milliseconds(from: reload, to: at(new.firstAnswer)) }
        }
        if let (instant, update) = events.first(where: { if case .routedBack = $0.1 { true } else { false } }), case .routedBack(_, let after) = update,
           let faulty = report.sighting(slot: live.other.rawValue) {
            result.userRollbackMs = milliseconds(from: instant - after, to: at(faulty.lastAnswer))
        }
        // The bake span: from entering the bake to leaving it (its end, or the failing verdict).
        var bakeSpan: Double = 0
        if let start = events.firstIndex(where: { if case .phase(.baking, _) = $0.1 { true } else { false } }),
           let end = events[(start + 1)...].first(where: { if case .phase = $0.1 { true } else { false } }) {
            bakeSpan = milliseconds(from: events[start].0, to: end.0)
        }
        if let retired = events.firstIndex(where: { if case .retired = $0.1 { true } else { false } }), retired > 0 {
            result.drainMs = milliseconds(from: events[retired - 1].0, to: events[retired].0)
        }
        result.controlPlaneMs = result.wallMs! - bakeSpan - (summary.outcome == .promoted ? Double(options.scaleDownDelay.milliseconds) : 0)
        if summary.outcome != (version == "2.0.0" ? .promoted : .rolledBack) { result.note = "unexpected outcome: \(summary.reason)" }
        return result
    }

    // MARK: naive

    /// Start the new slot, rewrite the configuration to it, `nginx -s reload`, and signal the old slot
    /// as soon as the command returns. Load continues a stream's length and 2 s more.
    func naive(_ fleet: ScratchFleet, loads: Loads, signal: Int32, trial: Int) async throws -> ReleaseBenchTrial {
        let context = try fleet.context()
        let service = fleet.service
        let anchor = ClockAnchor()
        let load = startLoad(fleet, loads)
        try await Task.sleep(for: options.warmup.duration)
        _ = try await context.instances.deploy(service, zones: service.zones, slot: .green, version: "2.0.0", timeout: .seconds(30))
        let old = await context.instances.running(service, slot: .blue).map(\.pid)
        let routing: Routing = Dictionary(uniqueKeysWithValues: service.zones.map { ($0, Slot.green) })
        let config = NginxConfig(balancer: context.balancer, service: service.name, live: context.service.liveAddresses(routing), preview: [],
                                 prefix: context.nginx.prefix, routingLabel: routing.label)
        let prefix = context.nginx.prefix
        try config.render().write(toFile: "\(prefix)/conf/nginx.conf", atomically: true, encoding: .utf8)
        let clock = ContinuousClock()
        let issued = clock.now
        let reload = try await Command.run(["nginx", "-p", prefix, "-c", "\(prefix)/conf/nginx.conf", "-e", "\(prefix)/logs/error.log", "-s", "reload"])
        let returned = clock.now
        for pid in old { kill(pid, signal) }
        try await Task.sleep(for: options.streamLength + .seconds(2))
        let report = await load.stop()
        let loadStart = anchor.instant(of: report.startedAt)
        var result = Self.counts(report, variant: signal == SIGKILL ? "naive SIGKILL" : "naive SIGTERM", trial: trial)
        result.switchMs = milliseconds(from: issued, to: returned)
        if let blue = report.sighting(slot: "blue") { result.userSwitchMs = milliseconds(from: issued, to: loadStart + .seconds(blue.lastAnswer)) }
        if let green = report.sighting(slot: "green") { result.firstNewMs = milliseconds(from: issued, to: loadStart + .seconds(green.firstAnswer)) }
        if !reload.succeeded { result.note = "nginx -s reload failed: \(reload.output)" }
        return result
    }

    static func counts(_ report: LoadReport, variant: String, trial: Int) -> ReleaseBenchTrial {
        ReleaseBenchTrial(variant: variant, trial: trial, requestsSent: report.requests.sent, requestsFailed: report.requests.failed,
                          failedByStatus: report.requests.byStatus.filter { !$0.key.hasPrefix("2") }
                            .merging(report.requests.connectionErrors > 0 ? ["no answer": report.requests.connectionErrors] : [:]) { $0 + $1 },
                          streamsOpened: report.streams.opened, streamsCut: report.streams.cut, streamsRejected: report.streams.rejected,
                          streamsCompleted: report.streams.completed)
    }
}
