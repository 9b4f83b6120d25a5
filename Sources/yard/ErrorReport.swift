import ArgumentParser
import Foundation

/// How `yard` ends on an error; the one place that maps errors to exit statuses:
///
/// 1. Unparseable arguments (an unknown option, a missing argument, an unknown subcommand): 64, with the
///    parser's usage text, or "Unknown command 'relase'. Did you mean 'release'?".
/// 2. Any other error while the command runs (a `CommandFailure`, a `ValidationError` thrown by `run()`, an
///    error from the libraries): 1, one line saying what to do.
/// 3. An `ExitCode` a command throws on purpose: as thrown (2 for a job's negative verdict: rolled back,
///    drill failed; the command printed its report first).
///
/// Under `--json` an error of 1 or 2 is one JSON document on stdout, where the command's result would have been:
/// `{"error": {"message": "…", "code": "not-found", "details": []}}`; stderr stays for people.
enum ErrorReport {
    struct Body: Encodable {
        struct Inner: Encodable { var message: String, code: String, details: [String] }
        var error: Inner
    }

    /// Prints a failure of a running command and returns the status to exit with.
    static func runFailed(_ error: any Error, json: Bool) -> Int32 {
        let failure: CommandFailure
        switch error {
        case let code as ExitCode: return code.rawValue
        case let known as CommandFailure: failure = known
        case let validation as ValidationError: failure = CommandFailure(validation.message)
        default: failure = CommandFailure("\(error)")
        }
        print(failure, json: json)
        return 1
    }

    /// An unknown subcommand, with the closest name when one is close.
    static func unknownCommand(_ unknown: CommandTree.Unknown, json: Bool) -> Int32 {
        var message = "Unknown command '\(unknown.word)'."
        if let suggestion = unknown.suggestion { message += " Did you mean '\(suggestion)'?" }
        message += " See '\(unknown.path.joined(separator: " ")) --help'."
        print(CommandFailure(message, code: "usage"), json: json)
        return ExitCode.validationFailure.rawValue
    }

    static func print(_ failure: CommandFailure, json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let body = Body(error: .init(message: failure.message, code: failure.code, details: failure.details))
            if let data = try? encoder.encode(body) { Swift.print(String(decoding: data, as: UTF8.self)) }
            return
        }
        for line in failure.details { printError(line) }
        printError("yard: \(failure.message)")
    }
}
