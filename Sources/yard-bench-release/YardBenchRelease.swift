import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import SwitchyardCore
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The release benchmark: argument parsing and printing only; SwitchyardRuntime's Bench holds the logic.
@main
struct YardBenchRelease: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard-bench-release",
        abstract: "Measures Switchyard's blue-green release against naive nginx switches, under the same SSE load.",
        discussion: """
            Each trial starts a fresh fleet on 127.0.0.1 (real nginx, 2 zones x 2 replicas of real yard-gateway
            processes per slot) in a temporary folder, drives it with non-stream requests and SSE streams through
            the live listener, and switches it: a Switchyard release of a good version and one of a version whose
            first token is slow (the bake's p99 time-to-first-token gate rolls it back), then the naive ways:
            rewrite nginx.conf, `nginx -s reload`, SIGKILL (or SIGTERM) the old slot as soon as it returns.
            Everything started is stopped at the end, on error and on Ctrl-C. Build it with -c release; it finds
            yard-gateway beside itself, or in $SWITCHYARD_BIN_DIR. See bench/release/README.md.
            """
    )

    @Option(help: "Trials per variant (median and max are reported).") var trials = 3
    @Option(help: "Variants to run, comma-separated: switchyard, naive-kill, naive-term, crash-mid-bake.") var variants = "switchyard,naive-kill,naive-term"
    @Option(help: "Non-stream requests per second through the live listener.") var rps = 100.0
    @Option(help: "Concurrent SSE streams.") var streams = 50
    @Option(help: "Length of a stream (tokens are 100 ms apart).", transform: Self.span) var streamLength = TimeSpan.seconds(10)
    @Option(help: "Bake of a Switchyard release.", transform: Self.span) var bake = TimeSpan.seconds(5)
    @Option(help: "Scale-down delay of a Switchyard release.", transform: Self.span) var scaleDownDelay = TimeSpan.ms(0)
    @Option(help: "Load before each switch.", transform: Self.span) var warmup = TimeSpan.seconds(2)
    @Option(help: "First-token latency of the faulty version (YARD_FAULT_FIRST_TOKEN_LATENCY).", transform: Self.span) var fault = TimeSpan.ms(400)
    @Option(help: "The bake's p99 time-to-first-token gate.", transform: Self.span) var ttftGate = TimeSpan.ms(250)
    @Option(help: "First loopback port; variant i uses base + 20 i .. + 11.") var basePort = 23100
    @Flag(help: "Print the report as JSON (progress still goes to stderr).") var json = false

    static func span(_ text: String) throws -> TimeSpan {
        guard let span = TimeSpan(parsing: text) else { throw ValidationError("not a duration: \(text) (write 150ms, 5s, 2m)") }
        return span
    }

    func validate() throws {
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        for name in variants.split(separator: ",") where ReleaseBenchVariant(rawValue: String(name)) == nil {
            throw ValidationError("unknown variant \(name); choose from \(ReleaseBenchVariant.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        var options = ReleaseBenchOptions()
        options.trials = trials
        options.variants = variants.split(separator: ",").compactMap { ReleaseBenchVariant(rawValue: String($0)) }
        options.requestsPerSecond = rps
        options.streams = streams
        options.streamTokens = max(1, Int(streamLength.milliseconds / 100))
        options.bake = bake
        options.scaleDownDelay = scaleDownDelay
        options.warmup = warmup
        options.faultFirstTokenLatency = fault
        options.ttftGate = ttftGate
        options.basePort = basePort

        let bench = ReleaseBench(options: options) { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let work = Task { try await bench.run() }
        let interrupted = InterruptFlag()
        // Ctrl-C or SIGTERM cancels the run; the bench then stops its load, gateways and nginx before returning.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("interrupted: stopping every process this run started…\n".utf8))
                interrupted.set()
                work.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        let report: ReleaseBenchReport
        do {
            report = try await work.value
        } catch where interrupted.isSet {
            FileHandle.standardError.write(Data("interrupted; every process of the run is stopped\n".utf8))
            throw ExitCode(130)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("""
                \(rps.formatted()) requests/s and \(streams) SSE streams of \(streamLength) through the live listener; \
                \(trials) trial(s); median / max
                """)
            print(report.table)
            print("")
            print("Per trial:")
            for line in report.trialLines { print("  " + line) }
        }
    }
}

/// Set by the signal handler once Ctrl-C or SIGTERM arrived.
final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
