import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast the peak QPS of a coming event and the replicas per zone it needs.",
        discussion: """
        From a capacity playbook: yard forecast PLAYBOOK, where PLAYBOOK is a CapacityPlan manifest file \
        or the name of one in playbooks/ (its topology is read from topologies/). Flags given with a \
        playbook override it (--csv, --event-date, --service-capacity, --zones, --replicas, --headroom, ...).
        Without a playbook: history from --csv, --prometheus or --synthetic; the event from --event-date.
        Without an event: --horizon 14d forecasts the next 14 days and plans for their peak.
        Prints a table (or --json) and can write a self-contained HTML chart (--html) and every fitted and \
        forecast step (--points FILE.csv or FILE.json). Progress goes to stderr.
        A relative csv: path in a playbook is read from the playbook file's own folder.
        Examples:
          yard forecast playbooks/capacity-peak-sale.yaml --html peak.html
          yard forecast capacity-peak-sale --json
          yard forecast --synthetic 7 --event-date 2026-11-11 --service-capacity 50 --zones a,b,c --replicas 4
          yard forecast --csv qps.csv --horizon 14d --service-capacity 50 --points forecast.csv
        """
    )

    @Argument(help: "A capacity playbook: a CapacityPlan manifest file, or the name of one in playbooks/.")
    var playbook: String?

    @OptionGroup(title: "History") var history: HistoryOptions
    @OptionGroup(title: "Event") var event: EventOptions
    @OptionGroup(title: "Capacity") var capacity: CapacityOptions

    @Option(help: "Rolling-origin backtest folds (0 skips the backtest).") var backtestFolds = 3
    @OptionGroup(title: "Model") var model: ModelOptions
    @Option(help: "Without --event-date: forecast this far past the history (e.g. 14d), with no event.") var horizon: String?
    @Option(help: "Write every step of the fitted history and of the forecast to FILE (.csv or .json): ISO 8601 time, actual, yhat, 80/95 % bounds, trend, daily, weekly, yearly, event lift.") var points: String?
    @Flag(help: "Print the report as JSON (times in ISO 8601).") var json = false
    @Option(help: "Write a self-contained HTML report with an SVG chart to this file.") var html: String?

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        func progress(_ message: String) {
            let elapsed = clock.now - started
            let ms = elapsed.milliseconds
            FileHandle.standardError.write(Data(String(format: "[%7.0f ms] %@\n", ms, message).utf8))
        }
        do {
            let options = try model.options()
            if let points, !(points.hasSuffix(".csv") || points.hasSuffix(".json")) {
                throw ValidationError("--points \(points): the file name must end in .csv or .json (the format)")
            }
            let outcome: CapacityForecast.Outcome
            if let playbook {
                var resolved = try CapacityPlaybook.resolve(playbook)
                progress("playbook \(resolved.plan.name) (\(resolved.file)): topology \(resolved.topology.name), service \(resolved.service.name)")
                try applyOverrides(to: &resolved)
                let measured = resolved.plan.perInstanceQPS != nil || capacity.serviceCapacity != nil ? nil
                    : try? await Workspace.existingStore()?.latestCapacityMeasurement(service: resolved.service.name)
                if let measured { progress("per-instance QPS \(String(format: "%.1f", measured.qps)) \(measured.basis)") }
                outcome = try await CapacityPlaybook.compute(resolved, options: options, backtestFolds: backtestFolds, exportPoints: points != nil,
                                                             measured: measured, progress: progress)
                // Kept for the dashboard (yardd's capacity page shows each plan's latest report and chart).
                do { try await Workspace.store().recordCapacityReport(plan: resolved.plan.name, report: outcome.report, at: Date()) } catch {
                    progress("the report was not kept in \(Workspace.statePath): \(error)")
                }
                if let notice = CapacityNotice.exceedsFleet(outcome.report, topology: resolved.topology.name, at: Date()),
                   !resolved.topology.notify.isEmpty {
                    let notifier = Notifier(store: try? await Workspace.existingStore())
                    await notifier.send(notice, to: resolved.topology.notify)
                    await notifier.flush(timeout: .seconds(5))
                    progress("told \(resolved.topology.notify.map(\.name).joined(separator: ", ")): the plan needs more than today's fleet")
                }
            } else {
                outcome = try await forecastFromFlags(options: options, progress: progress)
            }
            let report = outcome.report
            progress("done")
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.text, terminator: "")
            }
            if let points {
                do {
                    let data = points.hasSuffix(".json") ? try ExportedPoint.json(outcome.points) : Data(ExportedPoint.csv(outcome.points).utf8)
                    try data.write(to: URL(fileURLWithPath: points))
                } catch {
                    throw ValidationError("\(points): cannot write the points: \((error as NSError).localizedDescription)")
                }
                progress("wrote \(outcome.points.count) points to \(points)")
            }
            if let html {
                do { try Data(report.html.utf8).write(to: URL(fileURLWithPath: html)) } catch {
                    throw ValidationError("\(html): cannot write the HTML report: \((error as NSError).localizedDescription)")
                }
                progress("wrote \(html)")
            }
        } catch let error as CapacityPlaybook.Failure {
            throw CommandFailure("fix the capacity playbook (the lines above say where)", code: "invalid-manifests", details: error.diagnostics)
        } catch let error as CapacityForecast.Failure {
            throw CommandFailure("\(error)", code: "forecast")
        } catch let error as HistoryError {
            throw CommandFailure("\(error)", code: "history")
        }
    }

    /// Everything from flags (no playbook).
    func forecastFromFlags(options: ForecastOptions, progress: (String) -> Void) async throws -> CapacityForecast.Outcome {
        guard event.eventDate != nil || horizon != nil else {
            throw ValidationError("--event-date (the first day of the coming event) or --horizon (e.g. 14d, no event) is required without a PLAYBOOK")
        }
        var horizonSeconds: Int64?
        if let horizon {
            guard let span = TimeSpan(parsing: horizon), span.seconds >= 1 else { throw ValidationError("--horizon: expected a duration such as 14d or 36h, got \(horizon)") }
            guard event.eventDate == nil else { throw ValidationError("--horizon forecasts without an event: give --horizon or --event-date, not both") }
            horizonSeconds = Int64(span.seconds)
        }
        let source = try history.source()
        let (series, sourceName) = try await load(source, progress: progress)
        progress("history: \(series.count) points")
        var events = try event.pastEvents()
        if events.isEmpty, let seed = history.synthetic {
            events = history.generator(seed: seed).events
        }
        let target = event.eventDate == nil ? nil : try event.target()
        let zones = capacity.zoneList ?? ["a", "b"]
        let (perInstance, basis) = try await perInstanceQPS(progress: progress)
        // Naive timestamps may be local time up to 14 hours ahead of UTC: allow that much.
        let now = history.synthetic == nil ? Int64(Date().timeIntervalSince1970) + 14 * 3_600 : nil
        var request = CapacityForecast.Request(
            name: event.name ?? (target == nil ? "forecast" : "event"), series: series, source: sourceName, events: events, target: target, horizonSeconds: horizonSeconds,
            headroom: try capacity.ratio(capacity.headroom ?? "20%", "--headroom"), targetUtilisation: try capacity.ratio(capacity.utilisation ?? "70%", "--utilisation"),
            surviveZoneLoss: !capacity.noSurviveZoneLoss, perInstanceQPS: perInstance, zones: zones,
            replicasNow: Array(repeating: capacity.replicas ?? 1, count: zones.count), options: options, backtestFolds: backtestFolds, now: now)
        request.perInstanceBasis = basis
        return try CapacityForecast.compute(request, exportPoints: points != nil, progress: progress)
    }

    /// Without a playbook: --service-capacity, else the latest `yard load --find-capacity` of --service.
    func perInstanceQPS(progress: (String) -> Void) async throws -> (Double, String?) {
        if let given = capacity.serviceCapacity { return (given, nil) }
        let service = capacity.service ?? "gateway"
        if let measured = try await Workspace.existingStore()?.latestCapacityMeasurement(service: service) {
            progress("per-instance QPS \(String(format: "%.1f", measured.qps)) \(measured.basis)")
            return (measured.qps, measured.basis)
        }
        throw ValidationError("""
            --service-capacity (QPS one instance serves) is required: no measurement of service \(service) is kept in \(Workspace.statePath) \
            (yard load --find-capacity --service \(service) --target URL --p99 500ms measures one)
            """)
    }

    /// Flags given with a playbook win over what it says.
    func applyOverrides(to resolved: inout CapacityPlaybook.Resolved) throws {
        var overridden: [String] = []
        if history.csv != nil || history.prometheus != nil || history.synthetic != nil {
            var source = try history.source()
            // A --csv path is the caller's, relative to the working directory (not to the manifest).
            if case .csv(let path) = source, !path.hasPrefix("/") {
                source = .csv(path: (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path))
            }
            resolved.plan.history = source
            overridden.append("history")
        }
        if !event.pastEvent.isEmpty { resolved.plan.events = try event.pastEvents(); overridden.append("events") }
        if let name = event.name { resolved.plan.target.name = name; overridden.append("target.name") }
        if let date = event.eventDate {
            let start = try event.date(date, "--event-date")
            resolved.plan.target.start = start
            resolved.plan.target.end = start
            overridden.append("target.start")
        }
        if let end = event.eventEnd { resolved.plan.target.end = try event.date(end, "--event-end"); overridden.append("target.end") }
        guard resolved.plan.target.end >= resolved.plan.target.start else {
            throw ValidationError("the event ends (\(resolved.plan.target.end)) before it starts (\(resolved.plan.target.start))")
        }
        if let multiplier = event.multiplier { resolved.plan.target.multiplier = multiplier; overridden.append("target.multiplier") }
        if !event.like.isEmpty { resolved.plan.target.like = event.like; overridden.append("target.like") }
        if let perInstance = capacity.serviceCapacity { resolved.plan.perInstanceQPS = perInstance; overridden.append("perInstanceQPS") }
        if let service = capacity.service {
            throw ValidationError("--service \(service): a playbook names its service (\(resolved.service.name)); --service is for a forecast without one")
        }
        if let zones = capacity.zoneList { resolved.service.zones = zones; overridden.append("zones") }
        if let replicas = capacity.replicas { resolved.service.replicasPerZone = replicas; overridden.append("replicasPerZone") }
        if let headroom = capacity.headroom { resolved.plan.headroom = try capacity.ratio(headroom, "--headroom"); overridden.append("headroom") }
        if let utilisation = capacity.utilisation {
            resolved.plan.targetUtilisation = try capacity.ratio(utilisation, "--utilisation")
            overridden.append("targetUtilisation")
        }
        if capacity.noSurviveZoneLoss { resolved.plan.surviveZoneLoss = false; overridden.append("surviveZoneLoss") }
        if !overridden.isEmpty {
            FileHandle.standardError.write(Data("flags override the playbook's \(overridden.joined(separator: ", "))\n".utf8))
        }
    }

    /// The synthetic history honours --synthetic-step (the manifest's `synthetic` is hourly).
    func load(_ source: HistorySource, progress: (String) -> Void) async throws -> (QPSSeries, String) {
        if let seed = history.synthetic {
            let generator = history.generator(seed: seed)
            progress("generating \(generator.years) year(s) of synthetic QPS every \(history.syntheticStep) (seed \(seed))")
            return (generator.generate(), "synthetic(seed: \(seed), years: \(generator.years), step: \(history.syntheticStep))")
        }
        return try await HistoryLoader.load(source, progress: progress)
    }
}

struct HistoryOptions: ParsableArguments {
    @Option(help: "A CSV of timestamp,qps.") var csv: String?
    @Option(help: "Prometheus base URL, e.g. http://prometheus:9090.") var prometheus: String?
    @Option(help: "PromQL giving QPS, e.g. 'sum(rate(http_requests_total[5m]))'.") var query: String?
    @Option(help: "How far back to query Prometheus.") var since = "365d"
    @Option(help: "Prometheus query step.") var step = "5m"
    @Option(help: "Use the built-in synthetic generator with this seed.") var synthetic: Int?
    @Option(help: "Years of synthetic history.") var syntheticYears = 2
    @Option(help: "Step of the synthetic history (e.g. 1h, 1m).") var syntheticStep = "1h"

    func generator(seed: Int) -> SyntheticHistory {
        SyntheticHistory(seed: seed, years: syntheticYears, step: Int64(TimeSpan(parsing: syntheticStep)?.seconds ?? 3_600))
    }

    func source() throws -> HistorySource {
        let chosen = [csv != nil, prometheus != nil, synthetic != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one history: --csv FILE, --prometheus URL --query PROMQL, or --synthetic SEED") }
        if let csv { return .csv(path: csv) }
        if let prometheus {
            guard let query else { throw ValidationError("--prometheus needs --query") }
            guard let since = TimeSpan(parsing: since), let step = TimeSpan(parsing: step), step.milliseconds >= 1000 else {
                throw ValidationError("--since and --step must be durations such as 365d and 5m")
            }
            return .prometheus(url: prometheus, query: query, since: since, step: step)
        }
        guard TimeSpan(parsing: syntheticStep) != nil else { throw ValidationError("--synthetic-step must be a duration such as 1h or 1m") }
        return .synthetic(seed: synthetic!, years: syntheticYears)
    }
}

struct EventOptions: ParsableArguments {
    @Option(help: "The coming event's name (default: event, or the playbook's).") var name: String?
    @Option(help: "First day of the coming event (YYYY-MM-DD); required without a playbook.") var eventDate: String?
    @Option(help: "Last day of the coming event (default: the same day).") var eventEnd: String?
    @Option(help: "For an event with no history: the peak is the ordinary forecast times this.") var multiplier: Double?
    @Option(help: "A past event NAME=YYYY-MM-DD or NAME=YYYY-MM-DD..YYYY-MM-DD (repeatable).") var pastEvent: [String] = []
    @Option(help: "Days before each past event that it also moves.") var daysBefore = 1
    @Option(help: "Days after each past event that it also moves.") var daysAfter = 1
    @Option(help: "Past events (names or name prefixes) the coming one resembles (repeatable; default all).") var like: [String] = []

    func date(_ text: String, _ flag: String) throws -> LocalDateTime {
        guard let date = LocalDateTime(parsing: text) else { throw ValidationError("\(flag): expected a date such as 2026-11-11, got \(text)") }
        return date
    }

    func target() throws -> TargetEvent {
        let start = try date(eventDate ?? "", "--event-date")
        let end = try eventEnd.map { try date($0, "--event-end") } ?? start
        guard end >= start else { throw ValidationError("--event-end \(end) is before --event-date \(start)") }
        return TargetEvent(name: name ?? "event", start: start, end: end, multiplier: multiplier, like: like)
    }

    func pastEvents() throws -> [PastEvent] {
        try pastEvent.map { text in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--past-event: expected NAME=YYYY-MM-DD[..YYYY-MM-DD], got \(text)") }
            let days = parts[1].components(separatedBy: "..")
            let start = try date(days[0], "--past-event")
            let end = try days.count > 1 ? date(days[1], "--past-event") : start
            return PastEvent(name: parts[0], start: start, end: end, daysBefore: daysBefore, daysAfter: daysAfter)
        }
    }
}

struct CapacityOptions: ParsableArguments {
    @Option(help: "QPS one instance serves at its latency objective (default: the plan's, else the latest yard load --find-capacity of the service).") var serviceCapacity: Double?
    @Option(help: "Without a playbook: the service whose latest yard load --find-capacity measurement gives the per-instance QPS (default: gateway).") var service: String?
    @Option(help: "The service's zones, comma-separated (default: a,b, or the playbook's service's).") var zones: String?
    @Option(help: "Replicas per zone today (default: 1, or the playbook's service's replicasPerZone).") var replicas: Int?
    @Option(help: "Extra capacity above the upper bound, 20% or 0.2 (default: 20%, or the playbook's).") var headroom: String?
    @Option(help: "Share of an instance's capacity to use at the peak (default: 70%, or the playbook's).") var utilisation: String?
    @Flag(help: "Do not keep the peak covered when a zone is lost.") var noSurviveZoneLoss = false

    var zoneList: [String]? {
        zones.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    func ratio(_ text: String, _ flag: String) throws -> Ratio {
        guard let ratio = Ratio(parsing: text) else { throw ValidationError("\(flag): expected a ratio such as 20% or 0.2, got \(text)") }
        return ratio
    }
}
