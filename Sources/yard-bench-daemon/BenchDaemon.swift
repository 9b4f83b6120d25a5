import ArgumentParser
import Foundation
import SwitchyardRuntime

/// `yard-bench-daemon`: yardd's idle resident memory and the latency of status reads under an open-loop load.
@main
struct BenchDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard-bench-daemon",
        abstract: "Measures yardd: resident memory at idle, and p50/p99 of GET /v1/releases/{id} at a fixed request rate.",
        discussion: """
        Starts the yardd found beside this executable (or --yardd) on 127.0.0.1 with the manifests of --manifests \
        copied into a temporary folder, a state file seeded with one finished release and a viewer token. Reads \
        VmRSS from /proc after --idle seconds, then sends GET /v1/releases/{id} open-loop at --rate per second \
        for --seconds (after --warmup seconds not counted), latency taken from when each request was due. \
        With --viewers N, N clients follow the event stream of an open release meanwhile, each on its own \
        connection (one poller serves them all); --read list reads GET /v1/releases instead of one release. \
        Stops yardd (SIGTERM) and removes the folder. Build with `swift build -c release --scratch-path .build-release`.

        Example:
          .build-release/release/yard-bench-daemon --manifests . --rate 500 --seconds 10
          .build-release/release/yard-bench-daemon --manifests . --viewers 1000 --read list --rate 100
        """
    )

    @Option(help: "The folder holding topologies/ and playbooks/ to start yardd with.") var manifests = "."
    @Option(help: "The yardd executable (default: beside this one).") var yardd: String?
    @Option(help: "Status reads per second.") var rate = 500
    @Option(help: "Seconds of measured load.") var seconds = 10
    @Option(help: "Seconds of load before, not measured.") var warmup = 2
    @Option(help: "Seconds yardd sits idle before its memory is read.") var idle = 2
    @Option(help: "Event-stream viewers following one open release during the load (each its own connection).") var viewers = 0
    @Option(help: "What the load reads: one release (release) or the list (list).") var read: ReadTarget = .release
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() async throws {
        let binary = yardd ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("yardd").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("no yardd at \(binary); build it (swift build -c release --scratch-path .build-release) or give --yardd")
        }
        let workspace = try BenchWorkspace.make(manifests: manifests)
        defer { workspace.remove() }
        let token = try await workspace.seed(yardd: binary)
        let daemon = try await RunningDaemon.start(binary: binary, workspace: workspace, arguments: ["--max-streams-per-token", String(max(viewers, 1))])
        defer { daemon.stop() }

        try await Task.sleep(for: .seconds(idle))
        let idleRSS = ProcessMemory.residentBytes(pid: daemon.pid) ?? 0
        let following = try StreamViewers.open(viewers, port: daemon.port, path: "/v1/releases/\(BenchWorkspace.openReleaseID)/events", token: token)
        defer { following.close() }
        let path = read == .list ? "/v1/releases" : "/v1/releases/\(BenchWorkspace.releaseID)"
        let load = { (seconds: Int) in
            OpenLoopReads(url: "http://127.0.0.1:\(daemon.port)\(path)",
                          headers: [("Authorization", "Bearer \(token)")], rate: rate, duration: .seconds(seconds))
        }
        if warmup > 0 { _ = await load(warmup).run() }
        let result = await load(seconds).run()
        let loadedRSS = ProcessMemory.residentBytes(pid: daemon.pid) ?? 0

        let streaming = following.stillOpen()
        let report = BenchReport(idleRSSMiB: Double(idleRSS) / 1_048_576, afterLoadRSSMiB: Double(loadedRSS) / 1_048_576,
                                 rate: rate, seconds: seconds, path: path, viewers: viewers, viewersStillStreaming: streaming, reads: result)
        print(json ? report.json : report.table)
    }
}

enum ReadTarget: String, ExpressibleByArgument, Codable { case release, list }
