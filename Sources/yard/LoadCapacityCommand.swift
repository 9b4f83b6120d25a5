import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// `yard load --find-capacity`: options and the search.
struct CapacitySearchOptions: ParsableArguments {
    @Flag(help: "Search the highest QPS the target holds at the objective instead of a fixed load.")
    var findCapacity = false

    @Option(help: "Objective: p99 latency of whole non-stream requests.", transform: Load.span)
    var p99: TimeSpan?

    @Option(help: "Objective: p99 time to first token of the --streams streams run beside each step.", transform: Load.span)
    var ttft: TimeSpan?

    @Option(help: "Share of requests that may fail in a step that holds.")
    var maxErrorRate: String = "1%"

    @Option(help: "QPS of the first step.")
    var from: Double = 1

    @Option(help: "Each step's QPS is the last one's times this while steps hold.")
    var growth: Double = 1.5

    @Option(help: "Stop climbing here.")
    var maxQps: Double = 10_000

    @Option(help: "How long each step runs.", transform: Load.span)
    var step: TimeSpan = .seconds(5)

    @Option(help: "Halvings of the gap between the last step that held and the first that broke.")
    var refinements: Int = 3

    @Option(help: "max_tokens of each request, at the target's own token pace (make answers as long as real ones).")
    var requestTokens: Int = 16

    @Option(help: "The service the measurement is stored for.")
    var service: String = "gateway"
}

extension Load {
    func findCapacity() async throws {
        guard capacity.p99 != nil || capacity.ttft != nil else {
            throw ValidationError("--find-capacity needs an objective: --p99 (such as 500ms) and/or --ttft with --streams")
        }
        if capacity.ttft != nil, streams == 0 { throw ValidationError("--ttft is judged on streams: give --streams (such as 4)") }
        guard let maxErrors = Ratio(parsing: capacity.maxErrorRate) else { throw ValidationError("--max-error-rate: expected 1% or 0.01") }
        guard capacity.from > 0, capacity.growth > 1, capacity.maxQps >= capacity.from, capacity.requestTokens >= 1 else {
            throw ValidationError("--from must be above 0, --growth above 1, --max-qps at least --from, --request-tokens at least 1")
        }
        var configuration = LoadConfiguration(target: target)
        configuration.requestTokens = capacity.requestTokens
        configuration.requestTokenDelay = nil
        configuration.requestTimeout = requestTimeout
        configuration.maxConcurrentRequests = maxInFlight
        configuration.streams = streams
        configuration.streamTokens = streamTokens
        configuration.streamTokenDelay = tokenDelay
        let probe = LoadGenerator(configuration: configuration)
        if let problem = await probe.reachability() {
            throw CommandFailure("cannot reach \(configuration.baseURL): \(problem); is the instance up and --target right?", code: "unreachable")
        }
        let objective = CapacityRamp.Objective(p99Latency: capacity.p99?.seconds, p99TimeToFirstToken: capacity.ttft?.seconds,
                                               maxErrorRate: maxErrors.value)
        let ramp = CapacityRamp(objective: objective, start: capacity.from, growth: capacity.growth, maxQPS: capacity.maxQps,
                                refinements: capacity.refinements)
        let quiet = self.quiet
        let finder = CapacityFinder(load: configuration, stepDuration: capacity.step.duration)
        let (held, steps) = await finder.run(ramp) { step in
            if !quiet { printError(CapacityTable.line(step)) }
        }
        let measurement = held.map { CapacityMeasurement(service: capacity.service, target: configuration.baseURL, qps: $0, objective: objective,
                                                         steps: steps, measuredAt: Date()) }
        if let measurement { try await Workspace.store().recordCapacityMeasurement(measurement) }
        if json {
            try printJSON(CapacitySearchResult(held: held, service: capacity.service, target: configuration.baseURL, objective: objective, steps: steps))
        } else {
            print(CapacityTable.render(steps))
            print("")
            if let measurement {
                print(String(format: "capacity: %.1f QPS held at the objective; stored for %@ (yard forecast uses it when a plan gives no perInstanceQPS)",
                             measurement.qps, capacity.service))
            } else {
                print("capacity: not even \(capacity.from) QPS held the objective")
            }
        }
        if held == nil { throw ExitCode(2) }
    }
}

struct CapacitySearchResult: Encodable {
    var held: Double?
    var service: String
    var target: String
    var objective: CapacityRamp.Objective
    var steps: [CapacityRamp.Step]
}

/// The ramp as a table.
enum CapacityTable {
    static func row(_ step: CapacityRamp.Step) -> [String] {
        [String(format: "%.1f", step.qps), "\(step.sent)", "\(step.failed)", step.p99Latency.map(Load.ms) ?? "-",
         step.p99TimeToFirstToken.map(Load.ms) ?? "-", step.held ? "held" : "broke: \(step.broke ?? "")"]
    }

    static let headers = ["qps", "sent", "failed", "p99", "p99 ttft", "verdict"]

    static func render(_ steps: [CapacityRamp.Step]) -> String {
        var table = TextTable(headers: headers)
        table.rows = steps.map(row)
        return table.rendered
    }

    static func line(_ step: CapacityRamp.Step) -> String {
        zip(headers, row(step)).map { "\($0) \($1)" }.joined(separator: "  ")
    }
}
