import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import SwitchyardCore

/// One gateway instance: the HTTP application, the drain, the fault services and, in upstream
/// mode, the upstream client, and the timer that frees expired resume buffers, run as one `ServiceGroup`.
///
/// Service order matters: a group shuts its services down in reverse order, one at a time. The
/// drain service comes last, so on SIGTERM it runs first while the HTTP server still accepts
/// (answering 503 with `Connection: close`); the server is shut down only once streams ended.
public struct GatewayServer: Sendable {
    public let context: GatewayContext

    public init(configuration: GatewayConfiguration, logger: Logger = Logger(label: "yard-gateway")) {
        let now = RateLimiter.continuousNow()
        let metrics = GatewayMetrics()
        context = GatewayContext(
            configuration: configuration,
            drain: DrainState(),
            metrics: metrics,
            store: StreamStore(
                limits: .init(
                    retention: configuration.resumeRetention.seconds, maxStreams: configuration.resumeMaxStreams,
                    maxBytes: configuration.resumeMaxBytes
                ),
                now: now
            ),
            limiter: configuration.rateLimit.map { RateLimiter(limit: $0, maxKeys: configuration.rateLimitMaxKeys, now: now) },
            dice: FaultDice(errorRate: configuration.faults.errorRate, seed: configuration.faults.seed),
            forwarder: configuration.upstream.map {
                UpstreamForwarder(configuration: $0, metrics: metrics, seed: configuration.faults.seed, logger: logger, now: now)
            },
            logger: logger,
            completions: configuration.maxConcurrent.map(ConcurrencyLimit.init(limit:))
        )
    }

    public var drain: DrainState { context.drain }
    public var metrics: GatewayMetrics { context.metrics }

    /// The group to run. `onListening` gets the bound host and port (useful with port 0).
    public func makeServiceGroup(
        gracefulShutdownSignals: [UnixSignal] = [],
        onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
    ) -> ServiceGroup {
        let configuration = context.configuration
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: GatewayMiddleware(gateway: context))
        OperatingRoutes.add(to: router, gateway: context)
        ModelsRoute.add(to: router, gateway: context)
        ChatRoute.add(to: router, gateway: context)
        let host = configuration.host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil, backlog: configuration.backlog),
            onServerRunning: { channel in
                await onListening(host, channel.localAddress?.port ?? configuration.port)
            },
            logger: context.logger
        )
        var services: [any ServiceLifecycle.Service] = []
        if let forwarder = context.forwarder { services.append(HTTPClientService(forwarder: forwarder)) }
        services.append(app)
        services.append(StreamPurgeService(store: context.store, interval: StreamPurgeService.interval(retention: configuration.resumeRetention)))
        if let crashAfter = configuration.faults.crashAfter { services.append(CrashService(after: crashAfter)) }
        services.append(DrainService(drain: context.drain, timeout: configuration.drainTimeout, logger: context.logger))
        return ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: context.logger)
        )
    }
}
