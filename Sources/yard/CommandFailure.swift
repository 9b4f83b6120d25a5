import Foundation
import SwitchyardServer

/// An error that ends a command with status 1: what went wrong and what to do, one line, printed once by
/// `Yard.main` as text on stderr or, under `--json`, as `{"error": {"message", "code", "details"}}` on stdout.
struct CommandFailure: Error, CustomStringConvertible {
    /// One line: what went wrong and what to do about it.
    var message: String
    /// A stable, machine-readable name: `not-found`, `no-state`, `invalid-manifests`, `unreachable`, the API's code, …
    var code: String
    /// Lines that go before the message (located manifest diagnostics, say).
    var details: [String] = []

    init(_ message: String, code: String = "error", details: [String] = []) {
        self.message = message
        self.code = code
        self.details = details
    }

    var description: String { message }

    /// A failed call to yardd, with the API's own code when it answered one.
    init(_ failure: YarddClient.Failure) {
        switch failure {
        case .api(let api): self.init(failure.description, code: api.code)
        case .unreachable: self.init(failure.description, code: "unreachable")
        case .unexpected: self.init(failure.description, code: "unexpected-answer")
        case .invalidServer: self.init(failure.description, code: "invalid-server")
        }
    }
}
