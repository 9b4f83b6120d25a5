import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// `yard drill …` through yardd (`--server`): the daemon runs the drill; the CLI starts it, follows its event stream
/// with the same live view as a local run, and ends the same way (0 passed, 2 failed or aborted, 1 error).
enum RemoteDrill {
    static func run(_ client: YarddClient, playbook: String, json: Bool) async throws {
        let accepted = try await remote { () async throws(YarddClient.Failure) in try await client.startDrill(playbook: playbook) }
        DrillLiveView.note("drill run \(accepted.id) runs in yardd at \(client.server); following its events (Ctrl-C stops watching, not the drill)", toStandardError: json)
        try await follow(client, id: accepted.id, json: json)
    }

    /// Follows a run to its end: its steps and seconds as they come, then its report; exits as a local run does.
    static func follow(_ client: YarddClient, id: String, json: Bool) async throws {
        let detail = try await remote { () async throws(YarddClient.Failure) in try await client.drillRun(id: id) }
        DrillLiveView.show(.started(id: id, fault: detail.drillReport?.faultKind ?? "?"), toStandardError: json)
        let final = try await remote { () async throws(YarddClient.Failure) in
            try await client.follow(drillRun: id, onEvent: { event in
                switch event {
                case .step(let step): DrillLiveView.show(.step(step), toStandardError: json)
                case .second(let second, let faulted): DrillLiveView.show(.second(second, faulted: faulted), toStandardError: json)
                case .end: break
                }
            }, onReconnect: { reason in
                DrillLiveView.note("lost the event stream (\(reason)); reconnecting", toStandardError: json)
            })
        }
        guard let report = final.drillReport else {
            throw CommandFailure("drill run \(id) ended (\(final.run.status)) without a report this yard can read", code: "unreadable-report")
        }
        try DrillEnd.finish(report, json: json)
    }

    static func newestRunning(_ client: YarddClient) async throws -> String {
        let runs = try await remote { () async throws(YarddClient.Failure) in try await client.drillRuns(limit: 100) }
        guard let running = runs.first(where: { $0.finishedAt == nil }) else {
            throw CommandFailure("no drill is running on \(client.server); yard drill history lists past runs, yard drill watch ID follows one", code: "not-found")
        }
        return running.id
    }
}

/// How every drill command that saw a run to its end prints it and exits.
enum DrillEnd {
    static func finish(_ report: DrillReport, json: Bool) throws {
        if json { try printJSON(report) } else { print(""); print(report.text) }
        switch report.outcome {
        case .passed: return
        case .failed, .aborted: throw ExitCode(2)
        case .error: throw ExitCode(1)
        }
    }
}

/// Follows a drill run in the local state file, which another `yard drill run` writes: its steps and seconds as they
/// are stored, then its report once the run is finished.
enum LocalDrillWatch {
    static func follow(_ store: any StateStore, id: String, json: Bool, every interval: Duration = .milliseconds(250)) async throws {
        var cursor = DrillRunFeed.Cursor()
        var announced = false
        while true {
            guard let record = try await store.drillRun(id: id) else {
                throw CommandFailure("drill run \(id) is gone from \(Workspace.statePath)", code: "not-found")
            }
            if let report = DrillRunFeed.report(record) {
                if !announced { DrillLiveView.show(.started(id: id, fault: report.faultKind), toStandardError: json); announced = true }
                for (event, next) in DrillRunFeed.events(in: report, after: cursor) {
                    switch event {
                    case .step(let step): DrillLiveView.show(.step(step), toStandardError: json)
                    case .second(let second, let faulted): DrillLiveView.show(.second(second, faulted: faulted), toStandardError: json)
                    }
                    cursor = next
                }
                if record.isFinished { return try DrillEnd.finish(report, json: json) }
            } else if record.isFinished {
                throw CommandFailure("drill run \(id) ended (\(record.status)) without a report", code: "no-report")
            }
            try await Task.sleep(for: interval)
        }
    }

    static func newestRunning(_ store: any StateStore) async throws -> String {
        guard let running = try await store.unfinishedDrillRuns().last else {
            throw CommandFailure("no drill is running here; yard drill history lists past runs, yard drill watch ID follows one", code: "not-found")
        }
        return running.id
    }
}
