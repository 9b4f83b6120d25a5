import Foundation
import SwitchyardCore

/// An instance process Switchyard started, kept so that a restarted control plane adopts it instead of
/// starting a twin on the same port.
public struct InstanceRecord: Sendable, Hashable {
    public var id: InstanceID
    public var pid: Int32
    public var version: String
    public var command: [String]
    public var startedAt: Date
    /// Absent while the instance is believed to run.
    public var stoppedAt: Date?

    public init(id: InstanceID, pid: Int32, version: String, command: [String], startedAt: Date, stoppedAt: Date? = nil) {
        self.id = id
        self.pid = pid
        self.version = version
        self.command = command
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
    }

    public var isLive: Bool { stoppedAt == nil }
}
