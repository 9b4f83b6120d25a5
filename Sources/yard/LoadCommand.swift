import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive a target with non-stream requests and SSE streams, and report what users saw.",
        discussion: """
        Sends POST /v1/chat/completions at a fixed rate (open loop: on schedule whether or not earlier \
        requests finished) and keeps --streams SSE streams open, each re-opened when it ends. Every second \
        a progress line goes to standard error; at the end, a summary (or --json) goes to standard output: \
        requests by status, latency p50/p90/p99/max, streams completed and cut, time to first token, and \
        which slot and version answered, with the first and last answer from each (a blue-green switch \
        is complete when the old slot answers no more).

        A stream is cut when it ends without [DONE]: the connection broke, the body ended early, an event \
        was malformed, or it went quiet for --stream-idle-timeout.

        Exit status: 0 when no request failed and no stream was cut or refused, 2 when some did, \
        1 on a usage error or when the target cannot be reached at the start (an option the parser \
        itself cannot read, such as a missing --target, exits 64).

        Examples:
          yard load --target 127.0.0.1:7800 --rps 100 --streams 50 --stream-tokens 40 --token-delay 250ms --duration 30s
          yard load --target http://127.0.0.1:7800 --rps 0 --streams 200 --duration 2m --json > load.json
          yard load --target 127.0.0.1:7810 --find-capacity --p99 500ms --service gateway   # one instance's capacity

        With --find-capacity, the load goes up in steps (--from, times --growth while each step holds, then \
        halving the gap to the first step that broke) until the p99 latency (--p99) or time-to-first-token \
        (--ttft, judged on --streams streams beside) objective breaks or over 1% of requests fail; the highest \
        QPS that held is printed with the ramp as a table, and stored in .yard/state.sqlite for --service: \
        `yard forecast PLAYBOOK` uses the latest one when the plan gives no perInstanceQPS, and says so. \
        Aim it at one instance (or a slot through the preview listener) with answers as long as real ones \
        (--request-tokens). Exit status: 0 found, 2 not even the first step held, 1 error.
        """
    )

    @Option(help: ArgumentHelp("The address to drive: host:port or a base URL.", valueName: "host:port"))
    var target: String

    @Option(help: "Non-stream requests per second (0: none).")
    var rps: Double = 100

    @Option(help: "Concurrent SSE streams (0: none).")
    var streams: Int = 50

    @Option(help: "Tokens per stream (max_tokens).")
    var streamTokens: Int = 40

    @Option(help: "Delay between a stream's tokens (sent as X-Yard-Token-Delay).", transform: Load.span)
    var tokenDelay: TimeSpan = .ms(250)

    @Option(help: "How long to run.", transform: Load.span)
    var duration: TimeSpan = .seconds(30)

    @Option(help: "Most non-stream requests in flight; a request due beyond it is dropped and counted.")
    var maxInFlight: Int = 256

    @Option(help: "A non-stream request unanswered this long fails.", transform: Load.span)
    var requestTimeout: TimeSpan = .seconds(10)

    @Option(help: "A stream quiet this long (no event, no ping) counts as cut.", transform: Load.span)
    var streamIdleTimeout: TimeSpan = .seconds(30)

    @Option(name: .customLong("header"), help: ArgumentHelp("An extra request header, 'Name: value' (repeatable).", valueName: "header"))
    var headers: [String] = []

    @Flag(help: "Print the report as JSON on standard output.")
    var json = false

    @OptionGroup(title: "Capacity search (--find-capacity)") var capacity: CapacitySearchOptions

    @Flag(help: "No progress lines on standard error.")
    var quiet = false

    static func span(_ text: String) throws -> TimeSpan {
        guard let span = TimeSpan(parsing: text) else { throw ValidationError("'\(text)' is not a duration; write it as 250ms, 30s or 2m") }
        return span
    }

    /// A usage problem exits 1 (as the brief for `yard load` says), with the reason and a pointer to --help.
    func validate() throws {
        do {
            try check()
        } catch let error as ValidationError {
            printError("error: \(error.message)\nSee 'yard load --help' for an example.")
            throw ExitCode(1)
        }
    }

    private func check() throws {
        guard rps >= 0, rps.isFinite else { throw ValidationError("--rps must be 0 or more (got \(rps))") }
        guard streams >= 0 else { throw ValidationError("--streams must be 0 or more (got \(streams))") }
        guard capacity.findCapacity || rps > 0 || streams > 0 else { throw ValidationError("nothing to send: give --rps or --streams a value above 0") }
        guard streamTokens >= 1 else { throw ValidationError("--stream-tokens must be 1 or more (got \(streamTokens))") }
        guard duration.milliseconds > 0 else { throw ValidationError("--duration must be above 0") }
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be 1 or more") }
        for header in headers where !header.contains(":") {
            throw ValidationError("--header '\(header)' should read 'Name: value'")
        }
        if !target.contains("://"), HostPort(parsing: target) == nil {
            throw ValidationError("--target '\(target)' should be host:port (127.0.0.1:7800) or a URL (http://127.0.0.1:7800)")
        }
    }

    func run() async throws {
        if capacity.findCapacity { return try await findCapacity() }
        var configuration = LoadConfiguration(target: target)
        configuration.requestsPerSecond = rps
        configuration.maxConcurrentRequests = maxInFlight
        configuration.requestTimeout = requestTimeout
        configuration.streams = streams
        configuration.streamTokens = streamTokens
        configuration.streamTokenDelay = tokenDelay
        configuration.streamIdleTimeout = streamIdleTimeout
        for header in headers {
            let parts = header.split(separator: ":", maxSplits: 1)
            configuration.headers[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }

        let generator = LoadGenerator(configuration: configuration)
        if let problem = await generator.reachability() {
            throw CommandFailure("cannot reach \(configuration.baseURL): \(problem); is the fleet up (yard up) and --target right?", code: "unreachable")
        }
        let report = await withTaskGroup(of: LoadReport?.self) { group in
            group.addTask { await generator.run(for: duration.duration) }
            if !quiet {
                group.addTask {
                    var second = 1
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        if Task.isCancelled { break }
                        printError(Self.progressLine(await generator.snapshot(), second: second))
                        second += 1
                    }
                    return nil
                }
            }
            var result: LoadReport?
            for await value in group where value != nil {
                result = value
                group.cancelAll()
            }
            return result!
        }

        if json {
            try printJSON(report)
        } else {
            print(Self.summary(report))
        }
        if !report.isClean { throw ExitCode(2) }
    }

    static func ms(_ seconds: Double) -> String {
        seconds < 0.01 ? String(format: "%.2fms", seconds * 1000) : "\(Int((seconds * 1000).rounded()))ms"
    }

    static func progressLine(_ snapshot: LoadSnapshot, second: Int) -> String {
        let slots = snapshot.slots.map { "\($0.slot)@\($0.version)=\($0.answers)" }.joined(separator: " ")
        let p99 = snapshot.lastSecond.map { ms($0.p99) } ?? "-"
        return String(format: "%4ds", second)
            + "  sent \(snapshot.requests.sent)  ok \(snapshot.requests.succeeded)  failed \(snapshot.requests.failed)"
            + "  p99 \(p99)  open streams \(snapshot.openStreams)  cut \(snapshot.streams.cut)"
            + "  slots \(slots.isEmpty ? "-" : slots)"
    }

    static func summary(_ report: LoadReport) -> String {
        let requests = report.requests
        let streams = report.streams
        let statuses = requests.byStatus.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        let reasons = streams.reasons.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
        var table = TextTable(headers: ["", "value"])
        table.rows = [
            ["target", report.target],
            ["duration", String(format: "%.1fs", report.duration)],
            ["requests sent", "\(requests.sent)"],
            ["  succeeded", "\(requests.succeeded)"],
            ["  failed", "\(requests.failed)\(requests.connectionErrors > 0 ? " (\(requests.connectionErrors) connection errors)" : "")"],
            ["  by status", statuses.isEmpty ? "-" : statuses],
            ["  dropped (over --max-in-flight)", "\(requests.dropped)"],
            ["latency p50 / p90 / p99 / max", [report.latency.p50, report.latency.p90, report.latency.p99, report.latency.max].map(ms).joined(separator: " / ")],
            ["streams opened", "\(streams.opened)"],
            ["  completed ([DONE])", "\(streams.completed)"],
            ["  cut", "\(streams.cut)"],
            ["  refused", "\(streams.rejected)"],
            ["  open at the end", "\(streams.abandoned)"],
            ["  why", reasons.isEmpty ? "-" : reasons],
            ["time to first token p50 / p99", "\(ms(report.timeToFirstToken.p50)) / \(ms(report.timeToFirstToken.p99))"],
        ]
        var slots = TextTable(headers: ["slot", "version", "answers", "ok", "first", "last"])
        slots.rows = report.slots.map {
            [$0.slot, $0.version, "\($0.answers)", "\($0.succeeded)", String(format: "%.3fs", $0.firstAnswer), String(format: "%.3fs", $0.lastAnswer)]
        }
        let verdict = report.isClean ? "clean: no request failed, no stream cut" : "NOT clean: requests failed or streams were cut"
        return table.rendered + "\n\n" + (report.slots.isEmpty ? "no answer carried X-Yard-Slot" : slots.rendered) + "\n\n" + verdict
    }
}
