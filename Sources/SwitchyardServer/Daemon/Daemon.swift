import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchyardRuntime
import UnixSignals

/// `yardd`: the API server and the release service, run as one `ServiceGroup`.
///
/// Services shut down in reverse order: the release service (last) stops its runners first, leaving each
/// release journaled for the next start, then the HTTP server stops.
public struct Daemon: Sendable {
    public let configuration: DaemonConfiguration
    public let catalog: ManifestCatalog
    public let store: any StateStore
    public let releases: ReleaseService
    let logger: Logger

    public init(configuration: DaemonConfiguration, catalog: ManifestCatalog, store: any StateStore,
                makeContext: ReleaseContextFactory? = nil, logger: Logger = Logger(label: "yardd")) {
        self.configuration = configuration
        self.catalog = catalog
        self.store = store
        self.logger = logger
        releases = ReleaseService(store: store, catalog: catalog, makeContext: makeContext ?? catalog.processContextFactory, logger: logger)
    }

    /// Opens the store and reads the manifests named by `configuration`; throws located manifest errors.
    public static func open(_ configuration: DaemonConfiguration, logger: Logger = Logger(label: "yardd")) throws -> Daemon {
        let catalog = try ManifestCatalog.load(directory: configuration.manifestsDirectory)
        let store = try SQLiteStateStore(path: configuration.statePath)
        return Daemon(configuration: configuration, catalog: catalog, store: store, logger: logger)
    }

    public func makeRouter() -> Router<YarddRequestContext> {
        let router = Router(context: YarddRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(store: store))
        HealthRoutes.add(to: router, releases: releases)
        TopologyRoutes.add(to: router, catalog: catalog, store: store)
        ReleaseRoutes.add(to: router, releases: releases, store: store)
        AuditRoutes.add(to: router, store: store)
        TokenRoutes.add(to: router, store: store)
        return router
    }

    /// The group to run. Unfinished releases are resumed once the server listens; until then `/readyz`
    /// answers 503 and mutations are refused. `onListening` gets the bound host and port (useful with port 0).
    public func makeServiceGroup(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                                 onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) -> ServiceGroup {
        let host = configuration.host, port = configuration.port
        let releases = self.releases, logger = self.logger
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.notice("yardd listening on \(host):\(bound)")
                do { try await releases.resumeUnfinished() } catch { logger.error("cannot list unfinished releases: \(error)") }
                await onListening(host, bound)
            },
            logger: logger
        )
        return ServiceGroup(configuration: .init(services: [app, releases], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }
}
