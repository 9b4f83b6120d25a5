/// Who this instance is; every response names it so a release can confirm where traffic went.
public struct GatewayIdentity: Sendable, Hashable, Codable {
    public var service: String
    public var version: String
    public var zone: String
    public var slot: String
    public var instance: String

    public init(service: String = "gateway", version: String = "0.0.0", zone: String = "local", slot: String = "blue", instance: String = "gw-1") {
        self.service = service
        self.version = version
        self.zone = zone
        self.slot = slot
        self.instance = instance
    }

    /// `version/slot/instance`, carried in each chunk's `system_fingerprint`.
    public var fingerprint: String { "\(version)/\(slot)/\(instance)" }
}
