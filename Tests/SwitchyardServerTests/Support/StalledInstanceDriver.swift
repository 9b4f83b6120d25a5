import Foundation
import SwitchyardCore
@testable import SwitchyardRuntime
import SwitchyardServer

/// An instance driver whose deploys never finish (until cancelled): a release driven with it stays in
/// `deploying`, without processes or nginx, for tests of what the daemon does around a running release.
struct StalledInstanceDriver: InstanceDriver {
    func deploy(_ service: Service, zones: [String], slot: Slot, version: String, timeout: Duration) async throws -> [RunningInstance] {
        try await Task.sleep(for: .seconds(3600))
        return []
    }

    func retire(_ service: Service, zones: [String], slot: Slot) async -> RetireReport {
        RetireReport(stopped: [], killed: [])
    }

    func running(_ service: Service, slot: Slot) async -> [RunningInstance] { [] }

    func send(_ signal: Int32, to instances: [RunningInstance], of service: Service) async -> [String] {
        instances.map { "\($0.id.name): not run by this driver" }
    }

    func networkCutUnavailability(_ service: Service) async -> String? { "this driver runs no instances" }

    func cutOff(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> String { "nothing to cut" }

    func reconnect(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> Int { 0 }

    static let factory: ReleaseContextFactory = { topology, playbook, store, actor in
        try ReleaseContext(topology: topology, playbook: playbook, store: store, instances: StalledInstanceDriver(), prober: GateProber(),
                           workingDirectory: FileManager.default.temporaryDirectory.path, actor: actor)
    }
}
