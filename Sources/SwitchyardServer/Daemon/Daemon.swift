import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle
import SwitchyardRuntime
import UnixSignals

/// `yardd`: the API server, the release service and the drill scheduler, run as one `ServiceGroup`.
///
/// Services shut down in reverse order: the drill scheduler stops firing (a drill in progress restores
/// its fault), the release service stops its runners, leaving each release journaled for the next start,
/// then the HTTP server stops.
public struct Daemon: Sendable {
    public let configuration: DaemonConfiguration
    /// The manifests served now; replaced whole by a reload.
    public let manifests: LiveCatalog
    public let store: any StateStore
    public let releases: ReleaseService
    /// Fires drill schedules and starts runs asked for over the API, through its `DrillLauncher`.
    public let drills: DrillScheduleService
    public let metrics: DaemonMetrics
    public let reloader: ManifestReloader
    /// Whether this daemon leads the daemons sharing its store.
    public let leadership: Leadership
    let election: LeaderElection
    /// One journal poller per followed release, shared by every viewer of its event stream.
    let journalFeed: ReleaseJournalFeed
    /// The dashboard's sessions and login links, in memory: a restart logs everyone out.
    let sessions: DashboardSessions
    /// Nil serves plain HTTP.
    let tls: TLSConfiguration?
    let logger: Logger

    /// The manifests as they are now.
    public var catalog: ManifestCatalog { manifests.current }

    public init(configuration: DaemonConfiguration, catalog: ManifestCatalog, store: any StateStore,
                makeContext: ReleaseContextFactory? = nil, drillLauncher: (any DrillLauncher)? = nil,
                makeDrillLauncher: (@Sendable (LiveCatalog) -> any DrillLauncher)? = nil,
                clock: @escaping DrillScheduleService.Clock = { Date() }, logger: Logger = Logger(label: "yardd"), tls: TLSConfiguration? = nil,
                metrics: DaemonMetrics = DaemonMetrics()) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.tls = tls
        manifests = LiveCatalog(catalog)
        self.metrics = metrics
        let leadership = Leadership()
        self.leadership = leadership
        releases = ReleaseService(store: store, catalog: manifests, makeContext: makeContext ?? catalog.processContextFactory, logger: logger,
                                  metrics: metrics, leadership: leadership)
        reloader = ManifestReloader(catalog: manifests, metrics: metrics, logger: logger)
        journalFeed = ReleaseJournalFeed(store: store, maxPerToken: configuration.maxStreamsPerToken)
        sessions = DashboardSessions()
        let live = manifests
        drills = DrillScheduleService(store: store, manifests: { live.current.set }, launcher: drillLauncher ?? makeDrillLauncher?(live) ?? UnavailableDrillLauncher(),
                                      clock: clock, logger: logger, leadership: leadership)
        let duties = LeaderDuties(releases: releases, drills: drills, interval: configuration.election.interval, logger: logger)
        election = LeaderElection(store: store, leadership: leadership, settings: configuration.election, duties: duties, metrics: metrics,
                                  logger: logger)
    }

    /// Checks where it may listen, reads the TLS files, the manifests and opens the store named by `configuration` (an SQLite
    /// file, or a `postgres://` URL);
    /// throws `BindPolicy.Refused`, `TLSFiles.Unreadable` or located manifest errors.
    public static func open(_ configuration: DaemonConfiguration, logger: Logger = Logger(label: "yardd")) async throws -> Daemon {
        if let warning = try BindPolicy.check(configuration) { logger.critical("\(warning)") }
        let tls = try configuration.tls?.serverConfiguration()
        let catalog = try ManifestCatalog.load(directory: configuration.manifestsDirectory)
        let store = try await StateLocation.open(configuration.statePath)
        let metrics = DaemonMetrics()
        return Daemon(configuration: configuration, catalog: catalog, store: store,
                      makeDrillLauncher: { ProcessDrillLauncher(catalog: $0, store: store, metrics: metrics, logger: logger) }, logger: logger, tls: tls,
                      metrics: metrics)
    }

    /// The routes. Order matters and is the rule: `/healthz`, `/readyz`, `/metrics`, the dashboard's stylesheet and
    /// script and its login routes are registered before `AuthMiddleware` and stay open; everything after it, and every
    /// unknown path, needs a token (or, for a read, a dashboard session made from one), and each guarded route sits in
    /// the group of the role it needs.
    public func makeRouter() -> Router<YarddRequestContext> {
        let router = Router(context: YarddRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        HealthRoutes.add(to: router, releases: releases, leadership: leadership)
        MetricsRoutes.add(to: router, metrics: metrics)
        DashboardAssetRoutes.add(to: router)
        LoginRoutes.add(to: router, store: store, sessions: sessions, secure: tls != nil)
        router.add(middleware: AuthMiddleware(store: store, sessions: sessions))
        let routes = GuardedRoutes(router)
        TopologyRoutes.add(to: routes, catalog: manifests, store: store)
        ServiceRoutes.add(to: routes, catalog: manifests, store: store)
        ReleaseRoutes.add(to: routes, releases: releases, store: store, feed: journalFeed)
        ReloadRoutes.add(to: routes, reloader: reloader, auditor: Auditor(store: store))
        let live = manifests
        DrillRoutes.add(to: routes, drills: drills, manifests: { live.current.set }, store: store,
                        streams: StreamAllowance(limit: configuration.maxStreamsPerToken))
        AuditRoutes.add(to: routes, store: store)
        TokenRoutes.add(to: routes, store: store)
        LoginLinkRoutes.add(to: routes, sessions: sessions)
        DashboardRoutes.add(to: routes, catalog: manifests, store: store, drills: drills)
        return router
    }

    /// The router behind the one path normaliser every request passes first.
    func makeResponder() -> NormalizedPathResponder<RouterResponder<YarddRequestContext>> {
        NormalizedPathResponder(next: makeRouter().buildResponder())
    }

    /// The group to run. Once the server listens the daemon joins the leader election (`LeaderElection`); as leader it
    /// restores interrupted drills and resumes unfinished releases, as a standby it serves reads and names the leader.
    /// Until the first look has settled `/readyz` answers 503 and mutations are refused. Each of `reloadSignals`
    /// (SIGHUP) reloads the manifests. `onListening` gets the bound host and port (useful with port 0), after that look.
    public func makeServiceGroup(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint], reloadSignals: [UnixSignal] = [.sighup],
                                 onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) -> ServiceGroup {
        let host = configuration.host, port = configuration.port
        let releases = self.releases, drills = self.drills, logger = self.logger, election = self.election, leadership = self.leadership
        let scheme = tls == nil ? "http" : "https"
        let advertise = configuration.advertise
        let app = Application(
            responder: makeResponder(),
            server: serverBuilder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil,
                                 availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.notice("yardd listening on \(host):\(bound)")
                logger.info("API at \(scheme)://\(host):\(bound)/v1, dashboard at /ui, metrics at /metrics")
                let url = advertise ?? "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
                await election.listening(as: .thisDaemon(url: url))
                // The first look settles: elected (interrupted drills restored, unfinished releases resumed) or a standby.
                while !(await releases.isReady) { try? await Task.sleep(for: .milliseconds(20)) }
                logger.notice("\(leadership.roleName) among the daemons sharing the state store")
                await onListening(host, bound)
            },
            logger: logger
        )
        let reloads: [any Service] = reloadSignals.map { ReloadOnSignal(reloader: reloader, signal: $0) }
        return ServiceGroup(configuration: .init(services: reloads + [app, election, releases, drills], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }

    /// HTTP/1.1, over TLS when configured, closing connections idle for `idleTimeout` (a request head that has not
    /// fully arrived leaves its connection idle).
    private var serverBuilder: HTTPServerBuilder {
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1)))))
        guard let tls else { return http1 }
        do {
            return try .tls(http1, tlsConfiguration: tls)
        } catch {
            // HummingbirdTLS only wraps the configuration here; the files were read and checked by `open`.
            preconditionFailure("TLS configuration refused after it was loaded: \(error)")
        }
    }
}
