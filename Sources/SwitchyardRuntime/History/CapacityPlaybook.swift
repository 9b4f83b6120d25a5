import Foundation
import SwitchyardCore

/// `yard forecast PLAYBOOK`: a `CapacityPlan` manifest found by file or by name, checked with the
/// manifest loader, resolved against its topology's service, and run through `CapacityForecast`.
/// The command and the tests both go through `resolve` and `forecast`.
public enum CapacityPlaybook {
    /// A checked plan with what it names.
    public struct Resolved: Sendable {
        public var plan: CapacityPlan
        public var topology: Topology
        /// The service being planned; its zones, replicas per zone and capacityQPS feed the plan.
        public var service: Service
        /// The manifest file the plan came from.
        public var file: String
        /// The folder a relative `csv:` path is read from: the manifest file's own folder.
        public var baseDirectory: String
        /// Where the plan's `history` and `target` are written, for errors about them.
        public var historyLocation: SourceLocation
        public var targetLocation: SourceLocation
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// Located problems in the manifest (print each on its own line).
        case manifest([ManifestDiagnostic])
        /// No such file, and no CapacityPlan of that name in the playbooks folder.
        case notFound(String)
        /// The history could not be read or is unusable; located at the manifest's `history`.
        case history(SourceLocation, HistoryError)
        /// The forecast or the capacity plan failed; located at the manifest's `target` or file.
        case forecast(SourceLocation, CapacityForecast.Failure)

        public var diagnostics: [String] {
            switch self {
            case .manifest(let diagnostics): diagnostics.map(\.description)
            default: [description]
            }
        }

        public var description: String {
            switch self {
            case .manifest(let diagnostics): diagnostics.map(\.description).joined(separator: "\n")
            case .notFound(let message): message
            case .history(let location, let error): "\(location): history: \(error)"
            case .forecast(let location, let error): "\(location): \(error)"
            }
        }
    }

    /// Finds and checks a plan. `argument` is a manifest file (holding one CapacityPlan, or the one
    /// named `planName`) or the name of a CapacityPlan in `playbooks`. `topologies` (and
    /// `playbooks`) are context: they resolve the plan's topology without their own problems being reported.
    public static func resolve(_ argument: String, playbooks: String = "playbooks", topologies: [String] = ["topologies"]) throws(Failure) -> Resolved {
        var isDirectory: ObjCBool = false
        let looksLikeFile = argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
        let file: String
        var wanted: String?
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), !isDirectory.boolValue {
            file = argument
        } else if looksLikeFile || isDirectory.boolValue {
            let message = isDirectory.boolValue ? "is a folder; give a CapacityPlan manifest file or a plan's name" : "no such file"
            throw .manifest([ManifestDiagnostic(location: SourceLocation(file: argument, line: 1, column: 1), path: "", message: message)])
        } else {
            // A name: the CapacityPlan of that name among the playbooks.
            let known = ManifestLoader.load(paths: [], context: [playbooks]).set.manifests.filter {
                if case .capacityPlan = $0.manifest { true } else { false }
            }
            guard let found = known.first(where: { $0.manifest.name == argument }) else {
                let names = known.map(\.manifest.name)
                throw .notFound("\(argument): no such file, and no CapacityPlan named \"\(argument)\" in \(playbooks)/"
                    + (names.isEmpty ? " (there is none)" : " (known: \(names.joined(separator: ", ")))"))
            }
            file = found.file
            wanted = argument
        }
        let result = ManifestLoader.load(paths: [file], context: topologies)
        if !result.isValid { throw .manifest(result.diagnostics) }
        let inFile = result.set.manifests.filter { $0.file == file }
        let plans = inFile.compactMap { loaded -> (CapacityPlan, LoadedManifest)? in
            if case .capacityPlan(let plan) = loaded.manifest, wanted == nil || plan.name == wanted { (plan, loaded) } else { nil }
        }
        let fileStart = SourceLocation(file: file, line: 1, column: 1)
        guard plans.count == 1, let (plan, loaded) = plans.first else {
            let message = plans.isEmpty
                ? "holds no CapacityPlan" + (inFile.isEmpty ? "" : " (it holds \(inFile.map { "\($0.manifest.kind.rawValue) \($0.manifest.name)" }.joined(separator: ", ")))")
                : "holds \(plans.count) CapacityPlans (\(plans.map(\.0.name).joined(separator: ", "))); give the plan's name instead of the file"
            throw .manifest([ManifestDiagnostic(location: fileStart, path: "", message: message)])
        }
        // The loader has already reported a missing topology or service; this is belt and braces.
        guard let topology = result.set.topology(named: plan.topology), let service = topology.service(named: plan.service) else {
            throw .manifest([ManifestDiagnostic(location: loaded.location, path: "topology", message: "topology \(plan.topology) with service \(plan.service) not found")])
        }
        let node = document(in: file, named: plan.name)
        return Resolved(plan: plan, topology: topology, service: service, file: file,
                        baseDirectory: (file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent,
                        historyLocation: locate(["history", plan.history.kind], in: node) ?? locate(["history"], in: node) ?? loaded.location,
                        targetLocation: locate(["target", "start"], in: node) ?? loaded.location)
    }

    /// Reads the plan's history (a relative CSV path from the manifest's folder), fits, forecasts
    /// the target and plans replicas per zone for `resolved.service`.
    public static func forecast(_ resolved: Resolved, options: ForecastOptions = ForecastOptions(), backtestFolds: Int = 3,
                                now: Date = Date(), progress: (String) -> Void = { _ in }) async throws(Failure) -> ForecastReport {
        try await compute(resolved, options: options, backtestFolds: backtestFolds, exportPoints: false, now: now, progress: progress).report
    }

    /// `forecast`, with every step of the fitted history and of the forecast when `exportPoints`.
    /// `measured`: the latest `yard load --find-capacity` of the service, used when the plan gives no perInstanceQPS
    /// (before the topology's capacityQPS).
    public static func compute(_ resolved: Resolved, options: ForecastOptions = ForecastOptions(), backtestFolds: Int = 3, exportPoints: Bool,
                               measured: CapacityMeasurement? = nil, now: Date = Date(),
                               progress: (String) -> Void = { _ in }) async throws(Failure) -> CapacityForecast.Outcome {
        let plan = resolved.plan
        let loaded: (series: QPSSeries, source: String)
        do {
            loaded = try await HistoryLoader.load(plan.history, baseDirectory: resolved.baseDirectory, now: now, progress: progress)
        } catch {
            throw .history(resolved.historyLocation, error)
        }
        progress("history: \(loaded.series.count) points")
        var nowSeconds: Int64?
        var events = plan.events
        if case .synthetic(let seed, let years) = plan.history {
            // The generator's history ends at a fixed date, so "ends in the future" does not apply;
            // with no events listed, its own past sales are the events (as with --synthetic).
            if events.isEmpty { events = SyntheticHistory(seed: seed, years: years).events }
        } else {
            // Naive timestamps may be local time up to 14 hours ahead of UTC: allow that much.
            nowSeconds = Int64(now.timeIntervalSince1970) + 14 * 3_600
        }
        var request = CapacityForecast.Request(plan: plan, service: resolved.service, series: loaded.series, source: loaded.source, now: nowSeconds)
        if plan.perInstanceQPS == nil, let measured {
            request.perInstanceQPS = measured.qps
            request.perInstanceBasis = measured.basis
        }
        request.events = events
        request.options = options
        request.backtestFolds = backtestFolds
        do {
            return try CapacityForecast.compute(request, exportPoints: exportPoints, progress: progress)
        } catch {
            switch error {
            case .history(.targetNotAfterHistory), .history(.endsInTheFuture), .history(.tooShort), .history(.empty):
                throw .forecast(error.isAboutTarget ? resolved.targetLocation : resolved.historyLocation, error)
            default:
                throw .forecast(SourceLocation(file: resolved.file, line: 1, column: 1), error)
            }
        }
    }

    /// The YAML mapping of the document named `name` in `file` (nil when it cannot be read).
    static func document(in file: String, named name: String) -> YAMLNode? {
        guard let data = FileManager.default.contents(atPath: file),
              case .success(let documents) = ManifestSource.documents(bytes: [UInt8](data), file: file) else { return nil }
        return documents.first { node in
            guard case .mapping(let entries, _) = node else { return false }
            return entries.contains { if $0.key == "name", case .scalar(let text, _, _) = $0.value { text == name } else { false } }
        }
    }

    /// Where the value at `keys` is written (a mapping path), or nil.
    static func locate(_ keys: [String], in node: YAMLNode?) -> SourceLocation? {
        guard var node else { return nil }
        for key in keys {
            guard case .mapping(let entries, _) = node, let entry = entries.first(where: { $0.key == key }) else { return nil }
            node = entry.value
        }
        return node.location
    }
}

extension CapacityForecast.Failure {
    var isAboutTarget: Bool {
        if case .history(.targetNotAfterHistory) = self { true } else { false }
    }
}
