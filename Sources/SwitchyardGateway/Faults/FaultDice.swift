import SwitchyardCore
import Synchronization

/// Decides, request by request, whether an injected error fires; seeded, so a test sees the same sequence every run.
public final class FaultDice: Sendable {
    private let random: Mutex<SplitMix64>
    public let errorRate: Double

    public init(errorRate: Double, seed: UInt64) {
        self.errorRate = errorRate
        self.random = Mutex(SplitMix64(seed: seed))
    }

    public func shouldFail() -> Bool {
        guard errorRate > 0 else { return false }
        return random.withLock { $0.unit() } < errorRate
    }
}
