import ArgumentParser
import Foundation
import Logging
import SwitchyardCore
import SwitchyardGateway

/// The reference SSE gateway: argument parsing and wiring only; SwitchyardGateway holds the logic.
@main
struct YardGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard-gateway",
        abstract: "An OpenAI-compatible SSE gateway instance that Switchyard releases and drills act on.",
        discussion: """
            Serves POST /v1/chat/completions, GET /v1/models and GET /v1/models/{id} from a deterministic
            local model (or forwards them to --upstream), plus /healthz, /readyz, /version and /metrics. SIGTERM drains: readiness turns false, new
            requests get 503 with 'Connection: close', open streams run to their end (up to --drain-timeout),
            then the process exits 0. Durations read as 150ms, 30s, 10m.

            Example: a blue instance on an ephemeral port, 50 tokens per answer, one every 100ms:
              yard-gateway --port 0 --version 1.4.2 --zone eu-1 --slot blue --instance gw-1 \\
                --tokens 50 --token-delay 100ms
              curl -N localhost:PORT/v1/chat/completions -d '{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}'

            A request may shape the answer with OpenAI's fields: "max_tokens" or "max_completion_tokens",
            "n", "stop", "stream_options": {"include_usage": true}; and the delay between tokens with
            the header 'X-Yard-Token-Delay: 2s' or the body field "yard_token_delay_ms": 2000.

            Faults can also be set with environment variables: YARD_FAULT_ERROR_RATE, YARD_FAULT_FIRST_TOKEN_LATENCY,
            YARD_FAULT_STALL_AFTER, YARD_FAULT_MALFORMED_AFTER, YARD_FAULT_NEVER_READY=1, YARD_FAULT_CRASH_AFTER,
            YARD_FAULT_SEED (a flag wins over its variable).
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one. The bound address is printed as 'listening on HOST:PORT'.") var port = 8080
    @Option(help: "Version this instance reports.") var version = "0.0.0"
    @Option(help: "Availability zone this instance reports.") var zone = "local"
    @Option(help: "Slot (blue or green) this instance reports.") var slot = "blue"
    @Option(help: "Instance name this instance reports.") var instance = "gw-1"
    @Option(help: "Service name this instance reports.") var service = "gateway"
    @Option(help: "Tokens per answer of the local model.") var tokens = 16
    @Option(help: "Delay between tokens.", transform: Self.span) var tokenDelay = TimeSpan.ms(20)
    @Option(help: "Send a ': ping' comment on a stream quiet this long.", transform: Self.span) var pingInterval = TimeSpan.seconds(15)
    @Option(help: "Longest time open streams may run after SIGTERM before they are cut.", transform: Self.span) var drainTimeout = TimeSpan.seconds(30)
    @Option(help: "How long a stream can be resumed with Last-Event-ID.", transform: Self.span) var resumeRetention = TimeSpan.minutes(5)
    @Option(help: "At most this many MiB of frames kept for resumption, over all streams.") var resumeMaxMib = 64
    @Option(help: ArgumentHelp("A model id GET /v1/models lists (repeat for more); the local model answers any name.", valueName: "id"))
    var model: [String] = []
    @Option(help: ArgumentHelp("File of accepted bearer tokens, one per line; without it auth is off.", valueName: "file")) var apiKeys: String?
    @Option(help: ArgumentHelp("Requests per API key (per client address with auth off): 10/s, 600/m, or 10/s:20 for a burst of 20.", valueName: "rate"))
    var rateLimit: String?
    @Option(help: "At most this many rate-limit keys are remembered (least recently used forgotten first).") var rateLimitMaxKeys = 100_000
    @Option(help: ArgumentHelp("Forward to this OpenAI-compatible base URL (with or without /v1) instead of the local model.", valueName: "url"))
    var upstream: String?
    @Option(help: ArgumentHelp("File holding the key sent upstream; without it the client's Authorization goes upstream as it is.", valueName: "file"))
    var upstreamKeyFile: String?
    @Option(help: "Upstream connect and read timeout.", transform: Self.span) var upstreamTimeout = TimeSpan.seconds(30)
    @Option(help: "At most this many non-stream completions at once; the rest wait in order (a model server's batch size). Default: no limit.")
    var maxConcurrent: Int?
    @Option(help: "Upstream tries in all (retries only on connect errors, timeouts, 5xx).") var upstreamAttempts = 3
    @Option(help: "Base of the exponential retry backoff (full jitter).", transform: Self.span) var upstreamBackoff = TimeSpan.ms(50)
    @Option(help: "Circuit breaker: failure share over the window that opens it.") var breakerFailureRate = 0.5
    @Option(help: "Circuit breaker: sliding window.", transform: Self.span) var breakerWindow = TimeSpan.seconds(10)
    @Option(help: "Circuit breaker: calls needed in the window before it may open.") var breakerMinimumCalls = 10
    @Option(help: "Circuit breaker: time open before a probe is let through.", transform: Self.span) var breakerCoolDown = TimeSpan.seconds(5)

    @Option(help: "Fault: share of chat requests answered 500 (0…1).") var faultErrorRate: Double?
    @Option(help: "Fault: latency added before the first token.", transform: Self.span) var faultFirstTokenLatency: TimeSpan?
    @Option(help: "Fault: streams go silent after this many events.") var faultStallAfter: Int?
    @Option(help: "Fault: streams emit one malformed event after this many events.") var faultMalformedAfter: Int?
    @Flag(help: "Fault: /readyz never answers ready.") var faultNeverReady = false
    @Option(help: "Fault: the process exits 70 after this long.", transform: Self.span) var faultCrashAfter: TimeSpan?
    @Option(help: "Seed of the fault dice and retry jitter.") var faultSeed: UInt64?

    static func span(_ text: String) throws -> TimeSpan {
        guard let span = TimeSpan(parsing: text) else {
            throw ValidationError("'\(text)' is not a duration; write it as 150ms, 30s or 10m")
        }
        return span
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "yard-gateway")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info

        var configuration = GatewayConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.identity = GatewayIdentity(service: service, version: version, zone: zone, slot: slot, instance: instance)
        configuration.tokens = tokens
        configuration.tokenDelay = tokenDelay
        configuration.pingInterval = pingInterval
        configuration.drainTimeout = drainTimeout
        configuration.resumeRetention = resumeRetention
        guard resumeMaxMib >= 0 else { throw ValidationError("--resume-max-mib must be 0 or more") }
        configuration.resumeMaxBytes = resumeMaxMib << 20
        if !model.isEmpty { configuration.models = model }
        guard rateLimitMaxKeys >= 1 else { throw ValidationError("--rate-limit-max-keys must be at least 1") }
        configuration.rateLimitMaxKeys = rateLimitMaxKeys
        if let apiKeys { configuration.apiKeys = try APIKeys.load(path: apiKeys) }
        if let rateLimit {
            guard let limit = RateLimit(parsing: rateLimit) else {
                throw ValidationError("--rate-limit '\(rateLimit)' should read like 10/s, 600/m or 10/s:20")
            }
            configuration.rateLimit = limit
        }
        if upstreamKeyFile != nil, upstream == nil { throw ValidationError("--upstream-key-file needs --upstream") }
        if let upstream {
            var upstreamConfiguration = UpstreamConfiguration(baseURL: upstream)
            upstreamConfiguration.timeout = upstreamTimeout
            if let upstreamKeyFile { upstreamConfiguration.apiKey = try APIKeys.loadOne(path: upstreamKeyFile) }
            upstreamConfiguration.retry = RetryPolicy(maxAttempts: max(1, upstreamAttempts), baseDelay: upstreamBackoff)
            upstreamConfiguration.breaker = .init(
                failureRate: breakerFailureRate, window: breakerWindow, minimumCalls: breakerMinimumCalls, coolDown: breakerCoolDown
            )
            configuration.upstream = upstreamConfiguration
        }
        configuration.faults = try faults(environment)
        if let maxConcurrent {
            guard maxConcurrent >= 1 else { throw ValidationError("--max-concurrent must be at least 1, got \(maxConcurrent)") }
            configuration.maxConcurrent = maxConcurrent
        }

        for fault in configuration.faults.enabledDescriptions {
            Self.say("fault on: \(fault)")
        }
        let server = GatewayServer(configuration: configuration, logger: logger)
        let group = server.makeServiceGroup(gracefulShutdownSignals: [.sigterm, .sigint]) { host, port in
            Self.say("listening on \(host):\(port)")
        }
        try await group.run()
        let counts = server.drain.counts
        Self.say("stopped: \(counts.completed) streams completed, \(counts.cut) cut, \(counts.abandoned) abandoned by clients")
    }

    private func faults(_ environment: [String: String]) throws -> FaultConfiguration {
        func env<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = parse(text) else { throw ValidationError("\(name)='\(text)' cannot be read") }
            return value
        }
        var faults = FaultConfiguration()
        faults.errorRate = try faultErrorRate ?? env("YARD_FAULT_ERROR_RATE", Double.init) ?? 0
        guard (0...1).contains(faults.errorRate) else { throw ValidationError("the fault error rate must be within 0…1") }
        faults.firstTokenLatency = try faultFirstTokenLatency ?? env("YARD_FAULT_FIRST_TOKEN_LATENCY", TimeSpan.init(parsing:))
        faults.stallAfterEvents = try faultStallAfter ?? env("YARD_FAULT_STALL_AFTER", Int.init)
        faults.malformedAfterEvents = try faultMalformedAfter ?? env("YARD_FAULT_MALFORMED_AFTER", Int.init)
        faults.neverReady = try faultNeverReady || (env("YARD_FAULT_NEVER_READY") { ["1", "true", "yes"].contains($0) ? true : ["0", "false", "no"].contains($0) ? false : nil } ?? false)
        faults.crashAfter = try faultCrashAfter ?? env("YARD_FAULT_CRASH_AFTER", TimeSpan.init(parsing:))
        faults.seed = try faultSeed ?? env("YARD_FAULT_SEED", UInt64.init) ?? 1
        return faults
    }

    /// One line on standard output, flushed at once (tests and the release driver read it from a pipe).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
