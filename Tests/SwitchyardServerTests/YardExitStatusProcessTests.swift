import Foundation
import Testing
import SwitchyardBuildInfo

/// The built `yard` and `yardd` executables, one test per exit-status class: 0 success (and `--version`), 1 a user or
/// system error with one line saying what to do (as JSON under `--json`), 64 only for arguments that cannot be parsed.
/// Class 2, a job's negative verdict, is `YardReleaseWatchProcessTests` (a release aborted mid-bake). And: read-only
/// commands in a folder with no state list nothing, exit 0, and create no `.yard/state.sqlite`.
@Suite(.serialized) struct YardExitStatusProcessTests {
    /// An empty folder: no manifests, no state.
    static func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-exit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func yard(_ arguments: [String], in folder: URL) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run("yard", arguments, in: folder)
    }

    static func errorObject(_ text: String) -> [String: Any]? {
        ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])?["error"] as? [String: Any]
    }

    @Test func versionPrintsTheBuildsVersionAndCommitAndExits0() async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for executable in ["yard", "yardd"] {
            let result = try await ProcessRunner.run(executable, ["--version"], in: folder)
            #expect(result.status == 0, "\(executable): \(result.err)")
            #expect(result.out.trimmingCharacters(in: .newlines) == "\(executable) \(BuildInfo.version) (commit \(BuildInfo.commit))")
        }
        #expect(!BuildInfo.commit.isEmpty)
        if FileManager.default.fileExists(atPath: DaemonHarness.repositoryRoot.appendingPathComponent(".git").path) {
            #expect(BuildInfo.commit != "unknown", "built from a git checkout: the commit is known")
        }
    }

    /// `--help` at every level, and a command group run without its subcommand, print the help on stdout and exit 0.
    @Test(arguments: [["--help"], ["release", "--help"], ["drill", "--help"], ["drill", "abort", "--help"], ["drill", "watch", "--help"], ["drill"]])
    func helpIsPrintedAndExits0(_ arguments: [String]) async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await yard(arguments, in: folder)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.hasPrefix("OVERVIEW: "), "\(result.out)\n\(result.err)")
        #expect(result.out.contains("USAGE: yard"), "\(result.out)")
        #expect(!result.err.contains("CommandError"), "\(result.err)")
    }

    @Test(arguments: [
        (["show", "nosuch"], "no topology named \"nosuch\""),
        (["release", "status"], "no release yet here; start one with yard release SERVICE VERSION"),
        (["release", "status", "rel-nope"], "no release rel-nope here"),
        (["release", "promote", "nope"], "no release nope here"),
        (["release", "abort", "nope"], "no release nope here"),
        (["release", "watch"], "no release to watch"),
        (["drill", "run", "nosuch"], "no DrillPlaybook named nosuch"),
        (["drill", "report", "dr-nope"], "no drill run dr-nope here"),
        (["drill", "abort", "dr-nope"], "no drill run dr-nope here"),
        (["drill", "watch"], "no drill run to watch"),
    ])
    func aUserErrorExits1WithOneLineSayingWhatToDo(arguments: [String], message: String) async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await yard(arguments, in: folder)
        #expect(result.status == 1, "\(arguments): \(result.err)")
        #expect(result.err.contains(message), "\(result.err)")
        #expect(!result.err.contains("Usage:"), "a user error is not a usage error: \(result.err)")
        #expect(result.err.split(separator: "\n").count == 1, "one line: \(result.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".yard").path), "\(arguments) created state")

        let json = try await yard(arguments + ["--json"], in: folder)
        #expect(json.status == 1)
        let error = try #require(Self.errorObject(json.out), "under --json the error is JSON on stdout: \(json.out)")
        #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
        #expect(error["code"] as? String == "not-found", "\(error)")
    }

    @Test func aStateFileThatIsNotADatabaseExits1SayingWhatToDo() async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".yard"), withIntermediateDirectories: true)
        try Data("this is not sqlite, it is a shopping list\n".utf8).write(to: folder.appendingPathComponent(".yard/state.sqlite"))
        for arguments in [["release", "history"], ["audit"], ["token", "list"], ["release", "status"]] {
            let result = try await yard(arguments, in: folder)
            #expect(result.status == 1, "\(arguments): \(result.err)")
            #expect(result.err.contains(".yard/state.sqlite") && result.err.contains("move that file away"), "\(result.err)")
            #expect(!result.err.contains("Usage:"))
            let json = try await yard(arguments + ["--json"], in: folder)
            #expect(json.status == 1)
            #expect(Self.errorObject(json.out)?["code"] as? String == "state-unreadable", "\(json.out)")
        }
    }

    @Test(arguments: [
        (["relase"], "Unknown command 'relase'. Did you mean 'release'?"),
        (["release", "statuss"], "Unknown command 'statuss'. Did you mean 'status'?"),
        (["release", "histroy", "--json"], "Unknown command 'histroy'. Did you mean 'history'?"),
        (["drill", "rnu", "x"], "Unknown command 'rnu'. Did you mean 'run'?"),
        (["frobnicate"], "Unknown command 'frobnicate'. See 'yard --help'."),
        (["release", "status", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        (["audit", "--limit", "many"], "--limit"),
    ])
    func unparseableArgumentsExit64(arguments: [String], message: String) async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await yard(arguments, in: folder)
        #expect(result.status == 64, "\(arguments): \(result.out) \(result.err)")
        #expect((result.err + result.out).contains(message), "\(result.err) \(result.out)")
    }

    @Test func aServiceWhoseNameIsCloseToASubcommandIsStillReleasedByRun() async throws {
        // `yard release run statuss` means the service; the check is only for the default subcommand's guess.
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await yard(["release", "run", "statuss", "1.0.0"], in: folder)
        #expect(result.status == 1, "\(result.err)")
        #expect(result.err.contains("no ReleasePlaybook for service statuss"), "\(result.err)")
    }

    @Test func readOnlyCommandsInAFolderWithNoStateListNothingAndCreateNoState() async throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let commands: [[String]] = [["release", "history"], ["release", "list", "--running"], ["audit"], ["token", "list"], ["drill", "history"]]
        for arguments in commands {
            let text = try await yard(arguments, in: folder)
            #expect(text.status == 0, "\(arguments): \(text.err)")
            #expect(text.out.contains("no "), "\(arguments) says there is nothing: \(text.out)")
            let json = try await yard(arguments + ["--json"], in: folder)
            #expect(json.status == 0, "\(arguments): \(json.err)")
            let list = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [Any]
            #expect(list?.isEmpty == true, "\(arguments) --json: \(json.out)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".yard").path), "reading created .yard/")
    }
}
