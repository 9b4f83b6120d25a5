import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SwitchyardCore
import SwitchyardRuntime
import Testing
@testable import SwitchyardServer

/// A drill asked for over the API and run by the daemon's own launcher, on a real fleet: gateways, nginx, traffic.
@Suite(.serialized) struct DrillThroughDaemonTests {
    @Test func aDrillStartedOverTheAPIRunsToItsReport() async throws {
        let workspace = try FleetWorkspace(basePort: 24000)
        do {
            try await run(workspace)
        } catch {
            await workspace.tearDown()
            throw error
        }
        await workspace.tearDown()
    }

    func run(_ workspace: FleetWorkspace) async throws {
        try """
        apiVersion: switchyard/v1
        kind: DrillPlaybook
        name: drill-daemon
        topology: daemon-24000
        steadyState:
          - {name: ready, path: /readyz, requests: 3}
        load: {requestsPerSecond: 40, streams: 2, streamDuration: 2s}
        fault: {kind: zone-outage, zone: zone-b, mode: stop}
        duration: 4s
        objectives: {rto: 10s, minSuccessRate: 99%, maxRequestsLost: 10}
        """.write(to: workspace.folder.appendingPathComponent("playbooks/drill.yaml"), atomically: true, encoding: .utf8)
        let catalog = try ManifestCatalog.load(directory: workspace.folder.path)
        let store = try workspace.store()
        try await workspace.up(store: store)
        let (_, token) = try await TokenAdmin.create(name: "ci", role: .operator, in: store, actor: "test")

        try await ReleaseEventStreamTests.withDaemon(workspace, store: store, catalog: catalog, makeDrillLauncher: { catalog, logger in
            ProcessDrillLauncher(catalog: catalog, store: store, settleLimit: .seconds(15), logger: logger)
        }) { port in
            try await drill(port: port, token: token, workspace: workspace, store: store)
        }
    }

    func drill(port: Int, token: String, workspace: FleetWorkspace, store: any StateStore) async throws {
        func call(_ method: HTTPMethod, _ path: String) async throws -> (Int, [String: Any]) {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 22)
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:])
        }

        let (status, accepted) = try await call(.POST, "/v1/drills/drill-daemon/run")
        #expect(status == 202, "\(accepted)")
        let id = try #require(accepted["id"] as? String)
        // A second run while this one runs: refused (concurrency forbid).
        let (again, refusal) = try await call(.POST, "/v1/drills/drill-daemon/run")
        #expect(again == 409, "\(refusal)")

        let clock = ContinuousClock()
        let start = clock.now
        var run: [String: Any] = [:]
        while clock.now - start < .seconds(90) {
            let (_, latest) = try await call(.GET, "/v1/drills/runs/\(id)")
            run = latest
            if run["finishedAt"] != nil { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(run["status"] as? String == "passed", "\(run)")
        let report = try #require(run["report"] as? [String: Any])
        #expect(report["outcome"] as? String == "passed")
        #expect((report["faultDescription"] as? String)?.contains("zone zone-b lost") == true)
        #expect((report["recoveryMechanism"] as? String)?.contains("passive health") == true)
        #expect(try await store.pendingRestoreActions(run: id).isEmpty)
        // Every instance of the live slot is back.
        let live = await ProcessInstanceDriver(logDirectory: workspace.folder.path, readiness: ReadinessChecker(client: YardHTTPClient.shared))
            .running(workspace.service, slot: .blue)
        #expect(live.count == 4)
    }
}
