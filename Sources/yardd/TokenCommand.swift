import ArgumentParser
import Foundation
import SwitchyardRuntime
import SwitchyardServer

extension TokenRole: ExpressibleByArgument {}

/// `yardd token create|revoke|list`: manages API tokens directly in the state file (bootstrap, before any
/// token exists to call the API with).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, revoke and list API tokens in the state file.",
        subcommands: [Create.self, Revoke.self, List.self]
    )

    struct StateOption: ParsableArguments {
        @Option(help: "The state store: an SQLite file shared with the CLI, or postgres://USER@HOST:PORT/DATABASE.") var state = ".yard/state.sqlite"

        func open() async throws -> any StateStore {
            do { return try await StateLocation.open(state) } catch {
                FileHandle.standardError.write(Data("yardd: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once; only its SHA-256 is stored.",
            discussion: "Roles: viewer (reads), operator (viewer + start, promote and abort releases), admin (everything, tokens)."
        )
        @Argument(help: "A unique name; it becomes the actor in the audit log.") var name: String
        @Option(help: "viewer, operator or admin.") var role: TokenRole
        @OptionGroup var state: StateOption

        func validate() throws {
            guard TokenAdmin.isValidName(name) else { throw ValidationError(TokenAdmin.Failure.invalidName(name).description) }
        }

        func run() async throws {
            let store = try await state.open()
            do {
                let (_, token) = try await TokenAdmin.create(name: name, role: role, in: store, actor: AuditTrail.localActor)
                print(token)
                FileHandle.standardError.write(Data("yardd: token \(name) (\(role)) created; it is shown only this once\n".utf8))
            } catch {
                FileHandle.standardError.write(Data("yardd: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke (delete) a token; requests with it are refused at once.")
        @Argument(help: "The token's name.") var name: String
        @OptionGroup var state: StateOption

        func run() async throws {
            let store = try await state.open()
            do { try await TokenAdmin.revoke(name: name, in: store, actor: AuditTrail.localActor) } catch {
                FileHandle.standardError.write(Data("yardd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print("revoked \(name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens: name, role, creation time (never the secret).")
        @OptionGroup var state: StateOption

        func run() async throws {
            let store = try await state.open()
            for token in try await TokenAdmin.list(in: store) {
                print("\(token.name)\t\(token.role)\t\(ISO8601DateFormatter().string(from: token.createdAt))")
            }
        }
    }
}
