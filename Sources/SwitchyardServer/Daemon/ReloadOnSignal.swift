import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the manifests each time the process gets SIGHUP, until the daemon shuts down. An invalid set is
/// logged with its located errors and the previous one keeps serving.
struct ReloadOnSignal: Service {
    let reloader: ManifestReloader
    let signal: UnixSignal

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: signal)
        for await _ in signals.cancelOnGracefulShutdown() {
            _ = try? reloader.reload(trigger: "\(signal)")
        }
    }
}
