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
        """,
        subcommands: [Validate.self, Show.self, ForecastCommand.self, Load.self]
    )
}
