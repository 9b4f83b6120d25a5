import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// A temporary folder with the manifests, and a state file holding one finished release and a viewer token.
struct BenchWorkspace {
    static let releaseID = "rel-bench"
    /// An unfinished release of a service no manifest names: yardd cannot resume it (it says so and starts nothing),
    /// and its event stream stays open, as a running release's does, for the viewers to follow.
    static let openReleaseID = "rel-bench-open"
    let folder: URL
    var statePath: String { folder.appendingPathComponent(".yard/state.sqlite").path }

    static func make(manifests: String) throws -> BenchWorkspace {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-bench-daemon-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["topologies", "playbooks"] {
            let source = URL(fileURLWithPath: manifests).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(name))
            }
        }
        return BenchWorkspace(folder: folder)
    }

    /// A rolled-back release of gateway (finished, so yardd resumes nothing and starts no process) and a
    /// viewer token made by `yardd token create`; returns the token.
    func seed(yardd: String) async throws -> String {
        let store = try SQLiteStateStore(path: statePath)
        let plan = ReleasePlan(service: "gateway", topology: "local", version: "2.0.0", previousVersion: "1.0.0",
                               before: ["zone-a": .blue, "zone-b": .blue], waves: [["zone-a", "zone-b"]], preGates: [], bakeGates: [],
                               bakeDuration: .seconds(10), bakeInterval: .seconds(1), scaleDownDelay: .seconds(30), keepWarm: false,
                               manualPromotion: false)
        var machine = ReleaseMachine(plan: plan)
        let now = Date()
        _ = try await store.createRelease(NewRelease(id: Self.releaseID, startedBy: "bench", machine: machine, now: now),
                                          journal: [.note("seeded by yard-bench-daemon")], now: now)
        _ = machine.start()
        _ = machine.deployed(ok: false, detail: "seeded")
        _ = machine.retired(ok: true, detail: "seeded")
        _ = try await store.saveRelease(id: Self.releaseID, machine: machine, journal: [.note("rolled back (seeded)")], now: now)
        var open = plan
        open.service = "bench-followed"
        open.topology = "bench-nowhere"
        _ = try await store.createRelease(NewRelease(id: Self.openReleaseID, startedBy: "bench", machine: ReleaseMachine(plan: open), now: now),
                                          journal: (1...50).map { .note("seeded entry \($0)") }, now: now)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: yardd)
        process.arguments = ["token", "create", "bench", "--role", "viewer", "--state", statePath]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("yardd token create failed (status \(process.terminationStatus))") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
