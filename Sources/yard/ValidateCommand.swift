import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check manifests and report every problem with its file, line, column and field.",
        discussion: """
        Reads the files and folders given (default: topologies and playbooks), checks each manifest \
        and the names they use for each other (a playbook's topology and service, a service's zones), \
        and reports all problems in one run. A playbook checked alone still resolves its topology \
        from topologies/.

        Exit status: 0 when every manifest is valid, 1 when any is not.

        Examples:
          yard validate
          yard validate topologies/local.yaml playbooks/release-gateway.yaml
          yard validate --json playbooks | jq '.errors[].message'
        """
    )

    @Argument(help: "Manifest files or folders (default: topologies playbooks).")
    var paths: [String] = []

    @Flag(help: "Print the result as JSON: {valid, files, manifests, errors: [{file, line, column, path, message}]}.")
    var json = false

    func run() throws {
        let targets = paths.isEmpty ? ManifestLoader.defaultPaths.filter { FileManager.default.fileExists(atPath: $0) } : paths
        if targets.isEmpty {
            throw ValidationError("no manifests to check: there is no topologies/ or playbooks/ folder here; name files or folders to check")
        }
        let result = ManifestLoader.load(paths: targets, context: ManifestLoader.defaultPaths)
        let reported = result.set.manifests.filter { result.files.contains($0.file) }
        if json {
            try printJSON(ValidationReport(valid: result.isValid, files: result.files,
                                           manifests: reported.map { .init(file: $0.file, kind: $0.manifest.kind.rawValue, name: $0.manifest.name) },
                                           errors: result.diagnostics.map(ValidationReport.Error.init)))
        } else {
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
            if result.isValid {
                for manifest in reported { print("ok  \(manifest.file): \(manifest.manifest.kind.rawValue) \(manifest.manifest.name)") }
                print("\(result.files.count) file(s), \(reported.count) manifest(s): all valid")
            } else {
                printError("\(result.diagnostics.count) problem(s) in \(Set(result.diagnostics.map(\.location.file)).count) of \(result.files.count) file(s)")
            }
        }
        if !result.isValid { throw ExitCode(1) }
    }
}

struct ValidationReport: Encodable {
    struct Manifest: Encodable { var file: String, kind: String, name: String }
    struct Error: Encodable {
        var file: String, line: Int, column: Int, path: String, message: String
        init(_ diagnostic: ManifestDiagnostic) {
            file = diagnostic.location.file
            line = diagnostic.location.line
            column = diagnostic.location.column
            path = diagnostic.path
            message = diagnostic.message
        }
    }
    var valid: Bool
    var files: [String]
    var manifests: [Manifest]
    var errors: [Error]
}
