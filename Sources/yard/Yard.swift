import ArgumentParser

@main
struct Yard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard",
        abstract: "Switchyard: blue-green releases, disaster drills and capacity forecasts for a fleet of SSE gateways.",
        discussion: """
        Manifests live in topologies/ and playbooks/ (see docs/manifests.md); state in .yard/.

        Examples:
          yard demo                                  the whole release story on the local topology
          yard validate                              check every manifest in topologies/ and playbooks/
          yard show local                            print the local topology as a table
          yard up gateway --version 1.0.0            start the local fleet and its nginx
          yard release gateway --version 1.1.0       blue-green release with gates and rollback
          yard load --target 127.0.0.1:7800 --rps 100 --streams 50 --duration 30s
          yard forecast playbooks/capacity-peak-sale.yaml --html peak.html
        """,
        subcommands: [Demo.self, Validate.self, Show.self, Up.self, Down.self, Release.self, Load.self, ForecastCommand.self, Drill.self]
    )
}
