import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// The example playbook's gates pass an unchanged version under ordinary traffic: plain requests of the
/// gateway's default length, whose whole duration (~320 ms) no 150 ms latency bound would admit.
@Suite(.serialized)
struct ExamplePlaybookReleaseTests {
    static func examplePlaybook() throws -> ReleasePlaybook {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("playbooks/release-gateway.yaml")))
        let decoded = ManifestDecoder.decode(bytes: bytes, file: "release-gateway.yaml")
        guard case .releasePlaybook(let playbook) = try #require(decoded.manifests.first).manifest else { throw CocoaError(.fileReadCorruptFile) }
        return playbook
    }

    @Test func anUnchangedVersionUnderPlainRequestsIsPromoted() async throws {
        let example = try Self.examplePlaybook()
        try await ReleaseHarness.with(basePort: 33600, configure: { harness in
            harness.playbook.gates = example.gates
            harness.playbook.preGates = example.preGates
            harness.playbook.bake = .init(duration: .seconds(5), interval: .seconds(1), gates: example.bake.gates)
        }) { harness in
            var configuration = LoadConfiguration(target: "\(harness.listener)")
            configuration.requestsPerSecond = 20
            configuration.requestTokens = 16          // the gateway's default answer length
            configuration.requestTokenDelay = nil     // and its own token delay
            let load = LoadGenerator(configuration: configuration)
            load.start()
            try await Task.sleep(for: .seconds(1))
            // The same version's twin: only the version string differs.
            let summary = try await ReleaseRunner(context: harness.context()).release(version: "1.0.0-twin")
            let report = await load.stop()
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            // Whole requests took far longer than the 150 ms a p99-latency gate would allow.
            #expect(report.latency.p50 > 0.15, "\(report.latency)")
        }
    }
}
