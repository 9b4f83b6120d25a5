import ServiceLifecycle

/// Keeps the upstream client for the life of the group and shuts it down last.
struct HTTPClientService: ServiceLifecycle.Service {
    let forwarder: UpstreamForwarder

    func run() async throws {
        try? await gracefulShutdown()
        await forwarder.shutdown()
    }
}
