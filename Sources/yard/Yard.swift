import ArgumentParser

/// The root command of this branch: the lead's root command lists `ForecastCommand` when merged.
@main
struct Yard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard",
        abstract: "Switchyard: blue-green releases, disaster drills and capacity forecasts for a fleet of AI gateways.",
        subcommands: [ForecastCommand.self]
    )
}
