import SwitchyardCore

/// The driver a topology asks for, per service: a service whose zones list hosts runs on them over SSH, one whose
/// zones list none runs local processes. What the release, the drills and their restores are handed.
public struct FleetInstanceDriver: InstanceDriver {
    public let local: any InstanceDriver
    public let remote: any InstanceDriver

    public init(local: any InstanceDriver, remote: any InstanceDriver) {
        self.local = local
        self.remote = remote
    }

    /// The process driver logging under `logDirectory`, and the SSH driver with the options from the environment.
    public static func standard(logDirectory: String, environment: [String: String] = [:]) -> FleetInstanceDriver {
        let readiness = ReadinessChecker(client: YardHTTPClient.shared)
        return FleetInstanceDriver(local: ProcessInstanceDriver(logDirectory: logDirectory, readiness: readiness, environment: environment),
                                   remote: SSHInstanceDriver(readiness: readiness, environment: environment))
    }

    func driver(_ service: Service) -> any InstanceDriver { service.hosts.isEmpty ? local : remote }

    public func preflight(_ service: Service) async throws { try await driver(service).preflight(service) }

    public func deploy(_ service: Service, zones: [String], slot: Slot, version: String, timeout: Duration) async throws -> [RunningInstance] {
        try await driver(service).deploy(service, zones: zones, slot: slot, version: version, timeout: timeout)
    }

    public func retire(_ service: Service, zones: [String], slot: Slot) async -> RetireReport {
        await driver(service).retire(service, zones: zones, slot: slot)
    }

    public func send(_ signal: Int32, to instances: [RunningInstance], of service: Service) async -> [String] {
        await driver(service).send(signal, to: instances, of: service)
    }

    public func running(_ service: Service, slot: Slot) async -> [RunningInstance] {
        await driver(service).running(service, slot: slot)
    }

    public func networkCutUnavailability(_ service: Service) async -> String? { await driver(service).networkCutUnavailability(service) }

    public func cutOff(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> String {
        try await driver(service).cutOff(instances, of: service, tag: tag)
    }

    public func reconnect(_ instances: [RunningInstance], of service: Service, tag: String) async throws -> Int {
        try await driver(service).reconnect(instances, of: service, tag: tag)
    }
}
