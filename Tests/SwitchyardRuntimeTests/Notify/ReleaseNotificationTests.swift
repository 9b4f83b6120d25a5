import Foundation
import SwitchyardTesting
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A real release tells its targets once per event, and a target that never answers does not hold it up.
@Suite(.serialized)
struct ReleaseNotificationTests {
    @Test func aPromotedReleaseIsToldOnceEachAndAHangingTargetDoesNotHoldIt() async throws {
        let receiver = WebhookReceiver(failFirst: 1)
        try await receiver.with { base in
            var fleet = try PlainGatewayFleet.fleet(basePort: 33870)
            fleet.topology.notify = [NotifyTarget(name: "ops", address: .url("\(base)/ops")),
                                     NotifyTarget(name: "slow", address: .url("\(base)/hang"))]
            do {
                try await fleet.up("1.0.0")
                let context = try fleet.context()
                let notifier = try #require(context.notifier)
                let summary = try await ReleaseRunner(context: context).release(version: "2.0.0")
                #expect(summary.outcome == .promoted, "\(summary.reason)")
                // The release ended with its deliveries to the hanging target still out.
                #expect(await notifier.inFlight >= 1)
                for _ in 0..<100 where receiver.delivered("/ops").count < 2 { try await Task.sleep(for: .milliseconds(50)) }
                let events = try receiver.delivered("/ops").map { body in
                    try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])["event"] as? String
                }
                #expect(events == ["release.started", "release.promoted"])
                #expect(receiver.attemptCount("/ops") == 3)  // the first answered 500 and was tried again
                let audit = try await fleet.store.listAudit(limit: 50).filter { $0.actor == "notifier" && $0.outcome == "delivered" }
                #expect(Set(audit.map(\.action)) == ["notify.release.started", "notify.release.promoted"])
                #expect(audit.allSatisfy { $0.target == "ops \(summary.id)" })
            } catch {
                await PlainGatewayFleet.down(fleet)
                throw error
            }
            await PlainGatewayFleet.down(fleet)
        }
    }
}
