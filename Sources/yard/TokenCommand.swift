import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

extension TokenRole: ExpressibleByArgument {}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, revoke and list yardd's API tokens.",
        discussion: """
        Roles: viewer (reads), operator (viewer + start, promote and abort releases), admin (everything, \
        tokens included). A token is shown once, when it is created; only its SHA-256 is stored.

        With --server (or $YARD_SERVER) the daemon manages them (an admin token is needed); otherwise \
        they are written to .yard/state.sqlite here, the state file yardd serves: that is how the first \
        admin token comes to be.

        Examples:
          yard token create alice --role admin
          yard token create ci --role operator --server http://127.0.0.1:7780 --token yard_…
          yard token list --json
          yard token revoke ci
        """,
        subcommands: [Create.self, Revoke.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it once.")
        @Argument(help: "A unique name (letters, digits, '-', '_', '.', '@'); it becomes the actor in the audit log.") var name: String
        @Option(help: "viewer, operator or admin.") var role: TokenRole
        @Flag(help: "Print {name, role, createdAt, token} as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard TokenAdmin.isValidName(name) else { throw ValidationError(TokenAdmin.Failure.invalidName(name).description) }
        }

        func run() async throws {
            let created: CreatedTokenView
            if let client = try server.client() {
                created = try await remote { () async throws(YarddClient.Failure) in try await client.createToken(name: name, role: role.rawValue) }
            } else {
                let store = try await Workspace.store()
                let (record, secret) = try await Token.local { () async throws(TokenAdmin.Failure) in try await TokenAdmin.create(name: name, role: role, in: store, actor: AuditTrail.localActor) }
                created = CreatedTokenView(record, token: secret)
            }
            if json { try printJSON(created); return }
            print(created.token)
            printError("yard: token \(created.name) (\(created.role)) created; it is shown only this once")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke (delete) a token; requests with it are refused at once.")
        @Argument(help: "The token's name.") var name: String
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() {
                try await remote { () async throws(YarddClient.Failure) in try await client.revokeToken(name: name) }
            } else {
                guard let store = try await Workspace.existingStore() else { throw CommandFailure("no token \(name) here: \(Workspace.noStateYet)", code: "not-found") }
                try await Token.local { () async throws(TokenAdmin.Failure) in try await TokenAdmin.revoke(name: name, in: store, actor: AuditTrail.localActor) }
            }
            if json { try printJSON(["name": name, "status": "revoked"]) } else { print("revoked \(name)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens: name, role, creation time (never the secret).")
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let tokens: [TokenView]
            if let client = try server.client() {
                tokens = try await remote { () async throws(YarddClient.Failure) in try await client.tokens() }
            } else {
                if let store = try await Workspace.existingStore() {
                    tokens = try await Token.local { () async throws(TokenAdmin.Failure) in try await TokenAdmin.list(in: store) }
                } else {
                    tokens = []
                }
            }
            if json { try printJSON(tokens); return }
            if tokens.isEmpty { print("no tokens yet; create one with yard token create NAME --role admin"); return }
            var table = TextTable(headers: ["name", "role", "created"])
            table.rows = tokens.map { [$0.name, $0.role, ISO8601DateFormatter().string(from: $0.createdAt)] }
            print(table.rendered)
        }
    }

    /// Runs a token operation on the local store; its error ends the command with status 1.
    static func local<T>(_ body: () async throws(TokenAdmin.Failure) -> T) async throws -> T {
        do { return try await body() } catch {
            throw CommandFailure("\(error)", code: "token")
        }
    }
}
