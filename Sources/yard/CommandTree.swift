import ArgumentParser
import SwitchyardCore

/// The names of `yard`'s subcommands, walked to tell an unknown subcommand from other argument errors.
enum CommandTree {
    struct Unknown {
        /// The commands before the unknown word: `["yard", "drill"]`.
        var path: [String]
        var word: String
        var suggestion: String?
    }

    /// The first word that should name a subcommand of a command without a default one, and does not.
    /// Options end the walk (the parser judges them); so does a command with a default subcommand, whose
    /// positional arguments are its own to judge (`yard release statuss` is caught by `Release.Run.validate`).
    static func unknownSubcommand(in arguments: [String], root: any ParsableCommand.Type) -> Unknown? {
        var command = root
        var path = [root._commandName]
        for word in arguments {
            guard !word.hasPrefix("-") else { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) {
                command = next
                path.append(word)
                continue
            }
            guard command.configuration.defaultSubcommand == nil, word != "help" else { return nil }
            return Unknown(path: path, word: word, suggestion: Suggestion.closest(to: word, in: names(of: command)))
        }
        return nil
    }

    static func names(of command: any ParsableCommand.Type) -> [String] {
        command.configuration.subcommands.map { $0._commandName }
    }
}
