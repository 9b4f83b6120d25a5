import Foundation
import ServiceLifecycle
import SwitchyardCore

/// The crash fault: the process exits with status 70 once `after` has passed, as a crash would
/// (no drain, no clean-up). Ends quietly on shutdown.
struct CrashService: ServiceLifecycle.Service {
    let after: TimeSpan

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(for: after.duration)
            }
        } catch {
            return
        }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        FileHandle.standardError.write(Data("fault: crashing now (exit 70) after \(after)\n".utf8))
        exit(70)
    }
}
