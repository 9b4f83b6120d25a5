import Logging
import SwitchyardCore

/// What every handler shares: configuration, drain state, metrics, the stream store, the rate
/// limiter, the fault dice and, in upstream mode, the forwarder. All of it is Sendable.
public struct GatewayContext: Sendable {
    public let configuration: GatewayConfiguration
    public let drain: DrainState
    public let metrics: GatewayMetrics
    public let store: StreamStore
    public let limiter: RateLimiter?
    public let dice: FaultDice
    let forwarder: UpstreamForwarder?
    public let logger: Logger
    /// `maxConcurrent`, for the local model's non-stream completions.
    let completions: ConcurrencyLimit?

    var identity: GatewayIdentity { configuration.identity }
}
