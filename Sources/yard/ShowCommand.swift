import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a topology: zones x services x replicas, load balancers and datastores.",
        discussion: """
        TOPOLOGY is a topology's name (found in topologies/) or a manifest file.

        Examples:
          yard show local
          yard show topologies/two-zone-production.yaml
          yard show local --json | jq '.services[].instance.ports'
        """
    )

    @Argument(help: "A topology name or a topology manifest file.")
    var topology: String

    @Flag(help: "Print the topology as JSON, in the manifest's own shape.")
    var json = false

    func run() throws {
        let topology = try loadTopology(self.topology)
        if json { try printJSON(topology) } else { print(TopologySummary.render(topology)) }
    }
}

/// Finds a topology by file path or by name in topologies/, or fails with located errors.
func loadTopology(_ nameOrPath: String) throws -> Topology {
    let isFile = nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/")
    let result = ManifestLoader.load(paths: isFile ? [nameOrPath] : ManifestLoader.defaultPaths.filter { FileManager.default.fileExists(atPath: $0) })
    if !result.isValid, isFile {
        throw CommandFailure("fix \(nameOrPath) (yard validate \(nameOrPath) shows the same)", code: "invalid-manifests",
                             details: result.diagnostics.map(\.description))
    }
    let topologies = result.set.topologies
    if isFile, let only = topologies.first { return only }
    if let found = topologies.first(where: { $0.name == nameOrPath }) { return found }
    let known = topologies.map(\.name)
    let hint = Suggestion.closest(to: nameOrPath, in: known).map { "; did you mean \($0)?" } ?? ""
    throw CommandFailure("no topology named \"\(nameOrPath)\" in topologies/ (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))\(hint)", code: "not-found")
}
