/// Where a load balancer reaches a service's instances.
extension Service {
    /// The host to connect to: the instance host, or loopback when instances listen on every address.
    public var connectHost: String { instance.host == "0.0.0.0" ? "127.0.0.1" : instance.host }

    /// The addresses of `slot`'s instances in `zones`.
    public func addresses(_ slot: Slot, zones: [String]) -> [HostPort] {
        instances(slot: slot).filter { zones.contains($0.zone) }.map(connectAddress(of:))
    }

    /// Where to connect to `id`: its host's address, or `connectHost` for a local process.
    public func connectAddress(of id: InstanceID) -> HostPort {
        HostPort(host: host(of: id)?.address ?? connectHost, port: id.port)
    }

    /// The live upstream for a routing table: each zone's routed slot (blue when the table does not name it).
    public func liveAddresses(_ routing: Routing) -> [HostPort] {
        zones.flatMap { zone in addresses(routing[zone] ?? .blue, zones: [zone]) }
    }
}
