/// What users saw during a drill, measured from the per-second traffic. Times are seconds (Double)
/// relative to traffic start; durations (`timeToDetect`, `rto`) are seconds after the injection.
///
/// The per-second series has a resolution of one second: a second counts from the injection on when
/// it ends after the injection (the second the fault went in is included), and an event found in
/// second `k` is placed at the start of that second, never before the injection.
public struct DrillMeasurements: Sendable, Hashable, Codable {
    public var injectedAt: Double
    public var restoredAt: Double?
    /// Injection to the first second with a failed request or a cut stream, or to an earlier probe failure; nil when
    /// nothing failed.
    public var timeToDetect: Double?
    /// Injection to the start of the first run of `window` consecutive seconds at or above
    /// `objectiveRate`, after the first second under it. 0 when no second from the injection on was
    /// under the objective (nothing failed, or too little to matter); nil when never recovered.
    public var rto: Double?
    /// The RTO window began before `restoredAt` (or there was no restore): the fleet recovered on its own.
    public var recoveredBeforeRestore: Bool
    /// The lowest per-second success rate from the injection on.
    public var lowestSuccessRate: Double?
    /// Failed requests from the injection on.
    public var requestsLost: Int
    /// Streams cut from the injection on.
    public var streamsCut: Int
    /// The highest per-second p99 from the injection on, in milliseconds.
    public var worstP99: Double
    /// Success rate of every request that finished while the fault was in place (the injection's
    /// second up to the restore, or to the end of the traffic when there was none); nil when none finished.
    public var faultSuccessRate: Double?
    /// Requests that finished while the fault was in place.
    public var faultRequests: Int
    /// The success rate the RTO was measured against, and the seconds in a row that count as recovered.
    public var objectiveRate: Double
    public var window: Int

    public init(injectedAt: Double, restoredAt: Double?, timeToDetect: Double?, rto: Double?, recoveredBeforeRestore: Bool,
                lowestSuccessRate: Double?, requestsLost: Int, streamsCut: Int, worstP99: Double,
                faultSuccessRate: Double? = nil, faultRequests: Int = 0, objectiveRate: Double = 1, window: Int = 10) {
        self.injectedAt = injectedAt
        self.restoredAt = restoredAt
        self.timeToDetect = timeToDetect
        self.rto = rto
        self.recoveredBeforeRestore = recoveredBeforeRestore
        self.lowestSuccessRate = lowestSuccessRate
        self.requestsLost = requestsLost
        self.streamsCut = streamsCut
        self.worstP99 = worstP99
        self.faultSuccessRate = faultSuccessRate
        self.faultRequests = faultRequests
        self.objectiveRate = objectiveRate
        self.window = window
    }

    /// When the first failure was seen, relative to traffic start.
    public var detectedAt: Double? { timeToDetect.map { injectedAt + $0 } }
    /// When the recovery window began, relative to traffic start.
    public var recoveredAt: Double? { rto.map { injectedAt + $0 } }

    /// Measures `seconds` (in any order; missing seconds are seconds with no traffic).
    ///
    /// - `firstProbeFailure`: when a probe of the runner's own failed first, relative to traffic
    ///   start; it counts for detection when it is at or after the injection and before the first
    ///   failed request.
    /// - Seconds in which no request finished neither count towards the recovery window nor break it.
    public static func analyze(seconds: [DrillSecond], injectedAt: Double, restoredAt: Double?, firstProbeFailure: Double? = nil,
                               objectiveRate: Ratio, window: Int = 10) -> DrillMeasurements {
        let window = max(1, window)
        let firstSecond = Int(injectedAt.rounded(.down))
        let after = seconds.filter { $0.second >= firstSecond }.sorted { $0.second < $1.second }
        let faultEnd = restoredAt ?? .infinity
        let during = after.filter { Double($0.second) < faultEnd }
        func offset(_ second: Int) -> Double { max(0, Double(second) - injectedAt) }

        // A stream cut is a failure users saw as surely as a failed request.
        var detect = after.first { $0.failed > 0 || $0.streamsCut > 0 }.map { offset($0.second) }
        if let probe = firstProbeFailure, probe >= injectedAt { detect = min(detect ?? .infinity, probe - injectedAt) }

        let target = objectiveRate.value
        var rto: Double?
        if let firstBad = after.firstIndex(where: { ($0.successRate ?? 1) < target }) {
            var run = 0, runStart = 0
            for second in after[(firstBad + 1)...] {
                guard let rate = second.successRate else { continue }
                guard rate >= target else { run = 0; continue }
                if run == 0 { runStart = second.second }
                run += 1
                if run >= window { rto = offset(runStart); break }
            }
        } else {
            rto = 0
        }
        let recoveredBeforeRestore = rto.map { restoredAt == nil || injectedAt + $0 < restoredAt! } ?? false

        let faultSucceeded = during.reduce(0) { $0 + $1.succeeded }, faultFailed = during.reduce(0) { $0 + $1.failed }
        let faultRequests = faultSucceeded + faultFailed
        return DrillMeasurements(
            injectedAt: injectedAt, restoredAt: restoredAt, timeToDetect: detect, rto: rto, recoveredBeforeRestore: recoveredBeforeRestore,
            lowestSuccessRate: after.compactMap(\.successRate).min(),
            requestsLost: after.reduce(0) { $0 + $1.failed }, streamsCut: after.reduce(0) { $0 + $1.streamsCut },
            worstP99: after.map(\.p99).max() ?? 0,
            faultSuccessRate: faultRequests > 0 ? Double(faultSucceeded) / Double(faultRequests) : nil, faultRequests: faultRequests,
            objectiveRate: target, window: window)
    }
}
