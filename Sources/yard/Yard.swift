import ArgumentParser

@main
struct Yard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard",
        abstract: "Switchyard: blue-green releases, disaster drills and capacity forecasts for a fleet of SSE gateways.",
        discussion: """
        Manifests live in topologies/ and playbooks/ (see docs/manifests.md).

        Examples:
          yard validate                      check every manifest in topologies/ and playbooks/
          yard show local                    print the local topology as a table
          yard load --target 127.0.0.1:7800  drive a listener with requests and SSE streams
        """,
        subcommands: [Validate.self, Show.self, Load.self]
    )
}
