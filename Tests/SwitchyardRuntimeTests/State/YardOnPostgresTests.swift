import Foundation
import Testing
import SwitchyardTesting
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// The CLI against a PostgreSQL store (`YARD_STATE=postgres://…`): `yard up`, a real release, and the history read back
/// by another `yard` and by the store itself; no SQLite file is made in the folder.
@Suite(.serialized, .postgres)
struct YardOnPostgresTests {
    @Test func aReleaseIsRecordedInPostgresAndReadBackByTheCLI() async throws {
        let server = try #require(SuitePostgres.current)
        try server.createDatabase("yard_cli")
        let state = ["YARD_STATE": server.url(database: "yard_cli")]
        let workspace = try CLIWorkspace(basePort: 28100)
        defer { workspace.tearDown() }

        let up = try await workspace.yard(["up", "gateway", "--version", "1.0.0"], environment: state)
        #expect(up.status == 0, "\(up.output)")
        let release = try await workspace.yard(["release", "gateway", "--version", "2.0.0", "--bake", "2s", "--interval", "1s",
                                                "--scale-down-delay", "1s"], environment: state)
        #expect(release.status == 0, "\(release.output)")

        let history = try await workspace.yard(["release", "history", "--service", "gateway", "--json"], environment: state)
        #expect(history.status == 0, "\(history.output)")
        #expect(history.output.contains("\"version\" : \"2.0.0\"") || history.output.contains("\"version\":\"2.0.0\""), "\(history.output)")
        #expect(history.output.contains("promoted"), "\(history.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.folder.appendingPathComponent(".yard/state.sqlite").path),
                "the state went to PostgreSQL, not to a file here")

        let store = try await StateLocation.open(server.url(database: "yard_cli"))
        let releases = try await store.listReleases(ReleaseQuery(limit: 5))
        #expect(releases.map(\.version) == ["2.0.0"])
        #expect(releases.first?.outcome == .promoted)
        #expect(try await store.routing(service: "gateway")?.live == ["zone-a": .green, "zone-b": .green])
        _ = try await workspace.yard(["down", "gateway"], environment: state)
    }

    @Test func anUnreachableServerIsAClearErrorNamingItWithoutThePassword() async throws {
        let workspace = try CLIWorkspace(basePort: 28120)
        defer { workspace.tearDown() }
        let closed = closedPort().port
        let result = try await workspace.yard(["release", "history", "--service", "gateway"],
                                              environment: ["YARD_STATE": "postgres://yard:s3cret@127.0.0.1:\(closed)/yard"])
        #expect(result.status != 0)
        #expect(result.output.contains("127.0.0.1:\(closed)"), "\(result.output)")
        #expect(!result.output.contains("s3cret"), "\(result.output)")
    }
}
