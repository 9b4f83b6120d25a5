import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The release story on the embedded local topology: a good version promoted, a faulty one rolled back, under live SSE traffic.",
        discussion: """
        Starts nginx and gateway 1.0.0 on the local topology (topologies/local.yaml: 127.0.0.1:7800), \
        drives 100 requests/s and 50 concurrent SSE streams through it, releases 1.1.0 (promoted), then \
        1.2.0-slow whose first token comes 300 ms late (the bake's p99 gate fails: rolled back), and \
        prints what users saw: requests failed, streams cut, switch time, rollback time.

        Exit status: 0 when the story went as it should (promoted, rolled back, nothing failed or cut), 1 otherwise.

        Example:
          swift run yard demo
        """
    )

    @Option(help: "Bake of each release (the playbook says 10m; the demo shortens it).") var bake = "5s"
    @Option(help: "Requests per second through the load balancer.") var rps: Double = 100
    @Option(help: "Concurrent SSE streams (each about 4 s, re-opened when done).") var streams = 50
    @Flag(help: "Leave the fleet running at the end (stop it with `yard down`).") var keep = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        var (topology, playbook) = try Workspace.release(service: "gateway", topology: "local", playbook: nil)
        playbook.bake.duration = try span(bake, "--bake")
        playbook.bake.interval = .seconds(1)
        playbook.scaleDownDelay = .seconds(1)
        let store = try await Workspace.store()
        let context = try Workspace.context(topology: topology, playbook: playbook, store: store)
        let fleet = Fleet(context: context)
        let view = ReleaseView(json: json)
        func say(_ text: String) { view.show(.note(text)) }

        say("starting the local fleet: nginx on \(context.balancer.listen), gateway 1.0.0 in the blue slot of zone-a and zone-b")
        await fleet.down()
        _ = try await fleet.up(version: "1.0.0")

        var load = LoadConfiguration(target: "\(context.balancer.listen)")
        load.requestsPerSecond = rps
        load.streams = streams
        load.streamTokens = 40
        load.streamTokenDelay = .ms(100)
        let generator = LoadGenerator(configuration: load)
        say("driving \(Int(rps)) requests/s and \(streams) SSE streams through \(context.balancer.listen)")
        generator.start()
        try await Task.sleep(for: .seconds(2))

        say("── release 1.1.0: a good version")
        let good = try await ReleaseRunner(context: context) { view.show($0) }.release(version: "1.1.0")

        say("── release 1.2.0-slow: its first token comes 300 ms late")
        let slowContext = try Workspace.context(topology: topology, playbook: playbook, store: store,
                                                environment: ["YARD_FAULT_FIRST_TOKEN_LATENCY": "300ms"])
        let bad = try await ReleaseRunner(context: slowContext) { view.show($0) }.release(version: "1.2.0-slow")

        try await Task.sleep(for: .seconds(1))
        let report = await generator.stop()
        if !keep { await fleet.down() }

        let summary = DemoSummary(good: good, bad: bad, report: report)
        if json { try printJSON(summary) } else { print(summary.table) }
        if !summary.asExpected { throw ExitCode(1) }
    }
}

struct DemoSummary: Encodable {
    var good: ReleaseSummary
    var bad: ReleaseSummary
    var requestsSent: Int
    var requestsFailed: Int
    var streamsCompleted: Int
    var streamsCut: Int
    var asExpected: Bool

    init(good: ReleaseSummary, bad: ReleaseSummary, report: LoadReport) {
        self.good = good
        self.bad = bad
        requestsSent = report.requests.sent
        requestsFailed = report.requests.failed
        streamsCompleted = report.streams.completed
        streamsCut = report.streams.cut
        asExpected = good.outcome == .promoted && bad.outcome == .rolledBack && requestsFailed == 0 && streamsCut == 0
    }

    var table: String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.0f ms", $0) } ?? "-" }
        var table = TextTable(headers: ["", "value"])
        table.rows = [
            ["release 1.1.0", good.outcome.rawValue],
            ["  switch complete (reload → old workers stop accepting)", ms(good.switchMilliseconds)],
            ["release 1.2.0-slow", bad.outcome.rawValue],
            ["  why", bad.reason],
            ["  traffic back on the old slot after the failing verdict", ms(bad.rollbackMilliseconds)],
            ["requests sent / failed", "\(requestsSent) / \(requestsFailed)"],
            ["SSE streams completed / cut", "\(streamsCompleted) / \(streamsCut)"],
        ]
        return "\n" + table.rendered + "\n\n" + (asExpected ? "✔ promoted, rolled back, and users saw no failed request and no cut stream" : "✘ the demo did not go as expected")
    }
}
