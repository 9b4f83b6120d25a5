import Foundation

/// Runs a shell script on one load-balancer node: here, or on another host.
public protocol NodeShell: Sendable {
    func run(script: String) async throws -> Command.Result
}

/// A node on this machine (its address is a loopback one): `sh -c`.
public struct LocalNodeShell: NodeShell {
    public init() {}
    public func run(script: String) async throws -> Command.Result { try await Command.run(["sh", "-c", script]) }
}

/// A node on another host when no way to reach it was given.
struct UnreachableNodeShell: NodeShell {
    var address: String
    struct Failure: Error, CustomStringConvertible { var description: String }
    func run(script: String) async throws -> Command.Result {
        throw Failure(description: "\(address) is not this machine and no SSH host is known for it")
    }
}
