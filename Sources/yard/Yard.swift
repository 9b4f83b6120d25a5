import ArgumentParser

@main
struct Yard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard",
        abstract: "Switchyard: blue-green releases, disaster drills and capacity forecasts for a fleet of SSE gateways.",
        discussion: """
        Manifests live in topologies/ and playbooks/ (see docs/manifests.md); state in .yard/.

        Examples:
          yard demo                        # the release story on the local topology
          yard validate                    # check topologies/ and playbooks/
          yard show local                  # the local topology as a table
          yard up gateway --version 1.0.0  # start the local fleet and nginx
          yard release gateway --version 1.1.0
          yard load --target 127.0.0.1:7800 --rps 100 --streams 50
          yard forecast playbooks/capacity-peak-sale.yaml --html peak.html
          yard drill run drill-zone-outage --dry-run   # every step of a drill, nothing done
          yard drill schedule
          yard release gateway 1.1.0 --server http://127.0.0.1:7780 --token yard_…   # through yardd
          yard token create ci --role operator   # an API token for yardd
          yard audit --server http://127.0.0.1:7780
        """,
        subcommands: [Demo.self, Validate.self, Show.self, Up.self, Down.self, Release.self, Audit.self, Token.self, Load.self, ForecastCommand.self, ForecastBenchCommand.self, Drill.self]
    )
}
