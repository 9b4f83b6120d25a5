import Foundation
import SwitchyardTesting
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Deliveries to a real local receiver: retried until answered, recorded once, never blocking, never leaking the address.
@Suite(.serialized)
struct NotifierTests {
    static func notice(_ event: NotificationEvent = .releasePromoted) -> Notice {
        Notice(event: event, at: Date(timeIntervalSince1970: 1_796_000_000), topology: "local", subject: "rel-1",
               text: "gateway 1.1.0 promoted", details: ["service": "gateway", "version": "1.1.0"])
    }

    static func store() throws -> SQLiteStateStore {
        try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("yard-notify-\(UUID().uuidString.prefix(8)).sqlite").path)
    }

    static let fast = Notifier.Policy(attempts: 4, firstDelay: .milliseconds(50), maxDelay: .milliseconds(200), timeout: .seconds(1))

    @Test func aTargetThatAnswers500FirstGetsExactlyOneDeliveryAndItIsAudited() async throws {
        let receiver = WebhookReceiver(failFirst: 1)
        let store = try Self.store()
        try await receiver.with { base in
            let notifier = Notifier(store: store, policy: Self.fast)
            await notifier.send(Self.notice(), to: [NotifyTarget(name: "ops", address: .url("\(base)/ops"))])
            await notifier.flush(timeout: .seconds(5))
            #expect(await notifier.inFlight == 0)
            #expect(receiver.attemptCount("/ops") == 2)
            let bodies = receiver.delivered("/ops")
            #expect(bodies.count == 1)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any])
            #expect(json["event"] as? String == "release.promoted")
            #expect(json["at"] as? String == "2026-11-30T00:53:20Z")
            #expect(json["subject"] as? String == "rel-1")
            #expect((json["details"] as? [String: String])?["version"] == "1.1.0")
        }
        let audit = try await store.listAudit(limit: 10)
        #expect(audit.count == 1)
        #expect(audit.first?.action == "notify.release.promoted")
        #expect(audit.first?.target == "ops rel-1")
        #expect(audit.first?.outcome == "delivered")
        #expect(audit.first?.detail == "after 2 attempts (HTTP 500)")
    }

    @Test func aSlackTargetGetsAChatBodyAndOnlyTheEventsItAsksFor() async throws {
        let receiver = WebhookReceiver()
        try await receiver.with { base in
            let notifier = Notifier(store: nil, policy: Self.fast, environment: ["HOOK": "\(base)/chat"])
            let target = NotifyTarget(name: "chat", format: .slack, address: .environment("HOOK"), events: [.releaseRolledBack])
            await notifier.send(Self.notice(.releasePromoted), to: [target])
            await notifier.send(Self.notice(.releaseRolledBack), to: [target])
            await notifier.flush(timeout: .seconds(5))
            let bodies = receiver.delivered("/chat")
            #expect(bodies.count == 1)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any])
            #expect((json["text"] as? String)?.contains("*release.rolled-back* gateway 1.1.0 promoted") == true)
            #expect(((json["attachments"] as? [[String: Any]])?.first?["color"] as? String) == "#d13438")
        }
    }

    @Test func aTargetThatNeverAnswersDoesNotHoldTheSender() async throws {
        let receiver = WebhookReceiver()
        let store = try Self.store()
        try await receiver.with { base in
            let notifier = Notifier(store: store, policy: Notifier.Policy(attempts: 2, firstDelay: .milliseconds(50), timeout: .milliseconds(300)))
            let clock = ContinuousClock()
            let sent = clock.now
            await notifier.send(Self.notice(), to: [NotifyTarget(name: "slow", address: .url("\(base)/hang"))])
            // `send` hands over and returns: the delivery is still out there.
            #expect(clock.now - sent < .milliseconds(200))
            #expect(await notifier.inFlight == 1)
            await notifier.flush(timeout: .seconds(5))
            #expect(receiver.attemptCount("/hang") == 2)
        }
        let audit = try await store.listAudit(limit: 10)
        #expect(audit.first?.outcome == "failed")
        #expect(audit.first?.detail?.hasPrefix("gave up after 2 attempt(s): ") == true, "\(String(describing: audit.first?.detail))")
    }

    @Test func aMissingSecretFailsWithoutWritingAnyAddress() async throws {
        let store = try Self.store()
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("yard-hook-\(UUID().uuidString.prefix(6))").path
        try "ftp://secret-host/token-abc\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let notifier = Notifier(store: store, policy: Self.fast, environment: [:])
        await notifier.send(Self.notice(), to: [NotifyTarget(name: "env", address: .environment("YARD_TEST_HOOK")),
                                                NotifyTarget(name: "file", address: .file(secretFile))])
        await notifier.flush(timeout: .seconds(5))
        let audit = try await store.listAudit(limit: 10).sorted { $0.target < $1.target }
        #expect(audit.map(\.outcome) == ["failed", "failed"])
        #expect(audit[0].detail == "gave up after 1 attempt(s): environment variable YARD_TEST_HOOK is not set")
        #expect(audit[1].detail == "gave up after 1 attempt(s): the address is not an http:// or https:// URL")
        #expect(!audit.contains { ($0.detail ?? "").contains("secret-host") || $0.target.contains("secret") })
    }
}

/// What a finished drill is told as.
struct DrillNoticeTests {
    @Test func eachOutcomeIsItsOwnEventWithTheFailedObjectives() {
        for (outcome, event) in [(DrillOutcome.passed, NotificationEvent.drillPassed), (.failed, .drillFailed), (.aborted, .drillAborted), (.error, .drillError)] {
            let report = DrillReport(id: "drill-1", playbook: "zone-outage", topology: "local", faultKind: "zone-outage", faultDescription: "zone a",
                                     startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 60), outcome: outcome)
            let notice = DrillRunner.notice(for: report, reason: "why")
            #expect(notice.event == event)
            #expect(notice.subject == "drill-1")
            #expect(notice.text == "drill zone-outage \(outcome.rawValue): why")
            #expect(notice.at == Date(timeIntervalSince1970: 60))
        }
    }
}
