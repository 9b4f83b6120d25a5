import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchyardRuntime
import UnixSignals

/// `yardd`: the API server, the release service and the drill scheduler, run as one `ServiceGroup`.
///
/// Services shut down in reverse order: the drill scheduler stops firing, the release service stops its
/// runners, leaving each release journaled for the next start, then the HTTP server stops.
public struct Daemon: Sendable {
    public let configuration: DaemonConfiguration
    public let catalog: ManifestCatalog
    public let store: any StateStore
    public let releases: ReleaseService
    /// Fires drill schedules and starts runs asked for over the API, through its `DrillLauncher`.
    public let drills: DrillScheduleService
    let logger: Logger

    /// `drillLauncher` starts and stops drill runs (without one, every run is refused and recorded as failed to
    /// start); `clock` is every "now" of the drill scheduler.
    public init(configuration: DaemonConfiguration, catalog: ManifestCatalog, store: any StateStore,
                makeContext: ReleaseContextFactory? = nil, drillLauncher: (any DrillLauncher)? = nil,
                clock: @escaping DrillScheduleService.Clock = { Date() }, logger: Logger = Logger(label: "yardd")) {
        self.configuration = configuration
        self.catalog = catalog
        self.store = store
        self.logger = logger
        releases = ReleaseService(store: store, catalog: catalog, makeContext: makeContext ?? catalog.processContextFactory, logger: logger)
        drills = DrillScheduleService(store: store, catalog: catalog, launcher: drillLauncher ?? UnavailableDrillLauncher(), clock: clock, logger: logger)
    }

    /// Opens the store and reads the manifests named by `configuration`; throws located manifest errors.
    public static func open(_ configuration: DaemonConfiguration, logger: Logger = Logger(label: "yardd")) throws -> Daemon {
        let catalog = try ManifestCatalog.load(directory: configuration.manifestsDirectory)
        let store = try SQLiteStateStore(path: configuration.statePath)
        let launcher = ProcessDrillLauncher(catalog: catalog, store: store, logger: logger)
        return Daemon(configuration: configuration, catalog: catalog, store: store, drillLauncher: launcher, logger: logger)
    }

    public func makeRouter() -> Router<YarddRequestContext> {
        let router = Router(context: YarddRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(store: store))
        HealthRoutes.add(to: router, releases: releases)
        TopologyRoutes.add(to: router, catalog: catalog, store: store)
        ReleaseRoutes.add(to: router, releases: releases, store: store)
        let set = catalog.set
        DrillRoutes.add(to: router, drills: drills, manifests: { set }, store: store)
        return router
    }

    /// The group to run. Unfinished releases are resumed once the server listens; until then `/readyz`
    /// answers 503 and mutations are refused. `onListening` gets the bound host and port (useful with port 0).
    public func makeServiceGroup(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                                 onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) -> ServiceGroup {
        let host = configuration.host, port = configuration.port
        let releases = self.releases, drills = self.drills, logger = self.logger
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.notice("yardd listening on \(host):\(bound)")
                // Before anything else: what an interrupted drill broke is restored.
                if let launcher = drills.launcher as? ProcessDrillLauncher { await launcher.recoverInterrupted() }
                do { try await releases.resumeUnfinished() } catch { logger.error("cannot list unfinished releases: \(error)") }
                await onListening(host, bound)
            },
            logger: logger
        )
        return ServiceGroup(configuration: .init(services: [app, releases, drills], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }
}
