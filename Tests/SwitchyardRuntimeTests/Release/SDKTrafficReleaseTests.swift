import Foundation
import SwitchyardTesting
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A release of the fleet while users of the official OpenAI Python SDK stream and complete through nginx: the
/// switch and the drain of the old slot raise no exception in any of them.
@Suite(.serialized) struct SDKTrafficReleaseTests {
    struct Totals: Decodable {
        var completions: Int
        var streams: Int
        var chunks: Int
        var exceptions: [String]
    }

    @Test(.enabled(if: OpenAIPython.required, Comment(rawValue: OpenAIPython.skipMessage)), .timeLimit(.minutes(3)))
    func aReleaseUnderSDKTrafficRaisesNothing() async throws {
        try await ReleaseHarness.with(basePort: 34800) { harness in
            let users = Task {
                try await OpenAIPython.run("Tests/sdk/openai_release_traffic.py",
                                           ["--base-url", "http://\(harness.listener)/v1", "--seconds", "12", "--clients", "4"], folder: harness.folder)
            }
            try await Task.sleep(for: .seconds(2))
            let summary = try await ReleaseRunner(context: harness.context()).release(version: "2.0.0")
            let totals = try JSONDecoder().decode(Totals.self, from: Data(try await users.value.utf8))
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(totals.exceptions.isEmpty, "\(totals.exceptions.count) SDK exceptions: \(totals.exceptions.prefix(5))")
            #expect(totals.streams >= 10 && totals.completions >= 10, "\(totals.streams) streams, \(totals.completions) completions")
            #expect(try await harness.routingHeader() == "zone-a=green,zone-b=green")
        }
    }
}
