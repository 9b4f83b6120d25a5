import HTTPTypes
import Hummingbird

/// The header names the gateway reads and writes.
extension HTTPField.Name {
    static let yardVersion = Self("X-Yard-Version")!
    static let yardSlot = Self("X-Yard-Slot")!
    static let yardZone = Self("X-Yard-Zone")!
    static let yardInstance = Self("X-Yard-Instance")!
    /// Request header: delay between tokens for this request, such as `5ms` or `2s`.
    static let yardTokenDelay = Self("X-Yard-Token-Delay")!
    static let lastEventID = Self("Last-Event-ID")!
    static let accelBuffering = Self("X-Accel-Buffering")!
}
