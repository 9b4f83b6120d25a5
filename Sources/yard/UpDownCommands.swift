import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a service's fleet: its version in the live slot of every zone, with nginx in front.",
        discussion: """
        The first start puts VERSION in the blue slot; later releases alternate slots. Instances \
        already running VERSION are adopted, not started twice.

        Example:
          yard up gateway --version 1.0.0
          curl -N http://127.0.0.1:7800/v1/chat/completions -d '{"model":"m","messages":[],"stream":true}'
        """
    )

    @Argument(help: "The service to start (default: gateway).") var service = "gateway"
    @Option(help: "The version to run.") var version = "1.0.0"
    @Option(help: "The topology (default: the one the service's release playbook names).") var topology: String?

    func run() async throws {
        let (topology, playbook) = try Workspace.release(service: service, topology: self.topology, playbook: nil)
        let store = try await Workspace.store()
        let fleet = Fleet(context: try Workspace.context(topology: topology, playbook: playbook, store: store))
        let started = try await fleet.up(version: version)
        print("\(service) \(version) up: \(started.count) instance(s), \(started.filter(\.adopted).count) adopted; traffic on \(fleet.context.balancer.listen)")
    }
}

struct Down: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a service's fleet: both slots drained and stopped, and its nginx.",
        discussion: "Example:\n  yard down gateway"
    )

    @Argument(help: "The service to stop (default: gateway).") var service = "gateway"
    @Option(help: "The topology (default: the one the service's release playbook names).") var topology: String?

    func run() async throws {
        let (topology, playbook) = try Workspace.release(service: service, topology: self.topology, playbook: nil)
        let store = try await Workspace.store()
        let fleet = Fleet(context: try Workspace.context(topology: topology, playbook: playbook, store: store))
        do {
            try await fleet.holdingTopology("yard down") { await fleet.down() }
        } catch {
            throw CommandFailure("\(error)")
        }
        print("\(service) down")
    }
}
