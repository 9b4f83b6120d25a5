import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A new version that dies during the bake: a failure seen between gate intervals, traffic back at
/// once, and the old slot's backup servers in nginx meanwhile, so users lose no non-stream request.
@Suite(.serialized)
struct CrashMidBakeTests {
    @Test func aNewSlotThatCrashesMidBakeIsRolledBackWithinASecondAndNoRequestFails() async throws {
        try await ReleaseHarness.with(basePort: 33400, configure: { harness in
            harness.playbook.bake = .init(duration: .seconds(12), interval: .seconds(2), gates: ["errors", "ttft"])
        }) { harness in
            let load = harness.load(rps: 20, streams: 4, streamTokens: 10)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let log = UpdateLog()
            // Every instance of the new slot exits 4 s after it started: a few seconds into the bake.
            let context = try harness.context(environment: ["YARD_FAULT_CRASH_AFTER": "4s"])
            let summary = try await ReleaseRunner(context: context, onUpdate: { log.append($0) }).release(version: "2.0.0-crashes")
            try await Task.sleep(for: .milliseconds(500))
            let report = await load.stop()
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.hasPrefix("new slot down: "), "\(summary.reason)")
            // The switch happened, then the crash was seen, then traffic went back: within 1 s of seeing it.
            #expect(summary.switchMilliseconds != nil)
            let back = try #require(summary.rollbackMilliseconds)
            #expect(back < 1000, "traffic back \(back) ms after the crash was seen")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
            // Streams flowing from the crashed instances are cut: counted, reported.
            print("crash mid-bake: \(report.requests.sent) requests, \(report.requests.failed) failed; streams \(report.streams.completed) completed, \(report.streams.cut) cut; traffic back \(Int(back)) ms after the crash was seen")
            // Liveness said it, not a gate failing closed after "could not measure" three times.
            let closed = log.all.contains { entry in
                if case .measured(_, _, .failed(let why), "bake") = entry.1 { return why.contains("failing closed") }
                return false
            }
            #expect(!closed)
        }
    }

    @Test func theLiveUpstreamKeepsTheOldSlotAsBackupDuringTheBakeOnly() async throws {
        try await ReleaseHarness.with(basePort: 33450, configure: { harness in
            harness.playbook.bake = .init(duration: .seconds(2), interval: .seconds(1), gates: ["errors"])
        }) { harness in
            let runner = ReleaseRunner(context: try harness.context())
            async let summary = runner.release(version: "2.0.0", manual: true)
            let config = harness.folder.appendingPathComponent("nginx/conf/nginx.conf")
            var during = ""
            for _ in 0..<200 {
                if let record = try await harness.store.listReleases(ReleaseQuery(limit: 1)).first, record.phase == .awaitingPromotion {
                    during = try String(contentsOf: config, encoding: .utf8)
                    try await ReleaseControlJournal.send(.promote, release: record.id, store: harness.store, actor: "test")
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await summary.outcome == .promoted)
            let blue = harness.topology.services[0].addresses(.blue, zones: ["zone-a", "zone-b"])
            for address in blue { #expect(during.contains("server \(address) max_fails=1 fail_timeout=5s backup;"), "\(during)") }
            let after = try String(contentsOf: config, encoding: .utf8)
            #expect(!after.contains("backup;"))
        }
    }
}
