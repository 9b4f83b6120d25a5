/// What the writers saw during a `db-primary-loss`: numbered writes through the clients' connection string, before,
/// during and after the failover. Times are seconds after the fault (the kill of the primary).
public struct WriteProbeReport: Sendable, Hashable, Codable {
    /// The connection string written through (no password).
    public var target: String
    public var perSecond: Int
    /// `host:port` of the primary killed, and of the replica promoted.
    public var oldPrimary: String
    public var newPrimary: String
    /// Kill → the new primary answered as primary (after `pg_ctl promote -w`, the member's command, or the failover
    /// manager's promotion); nil when no member did.
    public var promotedAfter: Double?
    /// Set when a failover manager promotes: how long the drill waited for a member to answer as primary, in seconds.
    public var awaitedManager: Double?
    public var attempts: Int
    public var acknowledged: Int
    public var errors: Int
    /// Kill → the first write acknowledged by the new primary: the RTO writers saw. Nil when none was.
    public var firstWriteOnNewPrimary: Double?
    /// The longest time between two acknowledgements (or from the last one to the probe's end), in seconds.
    public var longestGap: Double
    /// Share of the writes that failed, from the fault to the first acknowledgement on the new primary, and overall.
    public var errorRateDuringFailover: Double?
    public var errorRate: Double?
    /// Acknowledged before the fault, absent on the new primary when read back: their sequence numbers.
    public var lostWrites: [Int]
    /// Nil when the writes were read back; otherwise why they could not be (the loss is then unknown).
    public var readBackFailure: String?
    /// The first few failed writes: their number and what the client was told.
    public var errorSamples: [String] = []
    /// The writes per second from the fault (`WriteSecond`): the error rate over time, beside the HTTP traffic's seconds.
    public var seconds: [WriteSecond] = []

    public var lost: Int? { readBackFailure == nil ? lostWrites.count : nil }

    public init(target: String, perSecond: Int, oldPrimary: String, newPrimary: String, promotedAfter: Double?, attempts: Int, acknowledged: Int,
                errors: Int, firstWriteOnNewPrimary: Double?, longestGap: Double, errorRateDuringFailover: Double?, errorRate: Double?,
                lostWrites: [Int], readBackFailure: String?) {
        self.target = target
        self.perSecond = perSecond
        self.oldPrimary = oldPrimary
        self.newPrimary = newPrimary
        self.promotedAfter = promotedAfter
        self.attempts = attempts
        self.acknowledged = acknowledged
        self.errors = errors
        self.firstWriteOnNewPrimary = firstWriteOnNewPrimary
        self.longestGap = longestGap
        self.errorRateDuringFailover = errorRateDuringFailover
        self.errorRate = errorRate
        self.lostWrites = lostWrites
        self.readBackFailure = readBackFailure
    }

    /// Measures the probe's attempts. `faultAt` and `endedAt` are seconds from the probe's start; `present` is the
    /// sequence numbers read back from the new primary (nil with `readBackFailure` when they could not be read).
    ///
    /// 1. Writers' RTO: the fault to the first acknowledgement by `newPrimary` of a write sent after the fault.
    /// 2. Longest gap: between consecutive acknowledgements, the probe's start and end included as bounds.
    /// 3. Lost: acknowledged (by anyone) before the fault and absent from `present`.
    /// 4. Seconds: the attempts per second from the fault (`WriteSecond.series`).
    public static func analyze(attempts: [WriteAttempt], faultAt: Double, endedAt: Double, target: String, perSecond: Int, oldPrimary: String,
                               newPrimary: String, promotedAfter: Double?, present: Set<Int>?, readBackFailure: String?) -> WriteProbeReport {
        let acks = attempts.compactMap(\.acknowledgedAt).sorted()
        var gap = 0.0, previous = 0.0
        for ack in acks + [endedAt] {
            gap = max(gap, ack - previous)
            previous = ack
        }
        let firstOnNew = attempts.filter { $0.sentAt >= faultAt && $0.server == newPrimary }.compactMap(\.acknowledgedAt).min()
        let failoverEnd = firstOnNew ?? endedAt
        let during = attempts.filter { $0.sentAt >= faultAt && $0.sentAt < failoverEnd }
        let errors = attempts.filter { $0.acknowledgedAt == nil }.count
        let lost: [Int]
        if let present {
            lost = attempts.filter { ($0.acknowledgedAt ?? .infinity) < faultAt && !present.contains($0.sequence) }.map(\.sequence).sorted()
        } else {
            lost = []
        }
        var report = WriteProbeReport(target: target, perSecond: perSecond, oldPrimary: oldPrimary, newPrimary: newPrimary, promotedAfter: promotedAfter,
                                      attempts: attempts.count, acknowledged: acks.count, errors: errors,
                                      firstWriteOnNewPrimary: firstOnNew.map { $0 - faultAt }, longestGap: gap,
                                      errorRateDuringFailover: during.isEmpty ? nil : Double(during.filter { $0.acknowledgedAt == nil }.count) / Double(during.count),
                                      errorRate: attempts.isEmpty ? nil : Double(errors) / Double(attempts.count),
                                      lostWrites: lost, readBackFailure: present == nil ? (readBackFailure ?? "not read back") : nil)
        report.errorSamples = attempts.filter { $0.acknowledgedAt == nil }.prefix(5).map { "#\($0.sequence): \($0.error ?? "no answer")" }
        report.seconds = WriteSecond.series(attempts, faultAt: faultAt, endedAt: endedAt)
        return report
    }

    /// The report's lines about the writes.
    public var lines: [String] {
        func s(_ value: Double?) -> String { value.map { DrillFormat.milliseconds($0 * 1000) } ?? "never" }
        let lostText: String
        if let lost {
            lostText = lost == 0 ? "0 acknowledged writes lost" : "\(lost) acknowledged writes lost (#\(lostWrites.prefix(10).map(String.init).joined(separator: ", #"))\(lost > 10 ? ", …" : ""))"
        } else {
            lostText = "lost writes unknown: \(readBackFailure ?? "")"
        }
        return [
            "\(perSecond)/s through \(target): \(attempts) sent, \(acknowledged) acknowledged, \(errors) failed"
                + (errorRate.map { " (\(DrillFormat.percent($0)))" } ?? ""),
            "primary \(oldPrimary) lost; \(promotion); "
                + (firstWriteOnNewPrimary.map { "first write acknowledged there \(s($0)) after the loss" } ?? "no write acknowledged by a new primary"),
            "longest write gap \(s(longestGap))"
                + (errorRateDuringFailover.map { ", \(DrillFormat.percent($0)) of the writes failed during the failover" } ?? "") + "; \(lostText)",
        ] + (seconds.isEmpty ? [] : [timeline]) + (errorSamples.isEmpty ? [] : ["failed writes: " + errorSamples.joined(separator: "; ")])
    }

    /// Who became the primary and how long after the kill: `10.0.0.2:5432 promoted 120 ms after`.
    public var promotion: String {
        func s(_ value: Double) -> String { DrillFormat.milliseconds(value * 1000) }
        if let awaitedManager {
            return promotedAfter.map { "\(newPrimary) promoted by the failover manager \(s($0)) after" }
                ?? "no member promoted by the failover manager within the \(s(awaitedManager)) waited"
        }
        return "\(newPrimary) promoted \(promotedAfter.map(s) ?? "never") after"
    }

    /// The seconds in one line from the first: a full block when every write that finished in it was acknowledged,
    /// lower blocks as more failed, `·` when none finished, `|` before second 0 (the kill).
    public var timeline: String {
        let blocks = Array("▁▂▃▄▅▆▇")
        var bar = ""
        for second in seconds {
            if second.second == 0 { bar += "|" }
            guard let rate = second.errorRate else { bar += "·"; continue }
            bar += rate == 0 ? "█" : String(blocks[min(6, Int(((1 - rate) * 7).rounded(.down)))])
        }
        let from = seconds.first?.second ?? 0
        return "writes per second from \(from) s (| the loss): \(bar) (█ all acknowledged, ▁ all failed, · none finished)"
    }
}

extension WriteProbeReport {
    /// Reports stored before a field was added still decode: the error samples and the seconds default to none, the wait
    /// for a failover manager to nil.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(target: try c.decode(String.self, forKey: .target), perSecond: try c.decode(Int.self, forKey: .perSecond),
                  oldPrimary: try c.decode(String.self, forKey: .oldPrimary), newPrimary: try c.decode(String.self, forKey: .newPrimary),
                  promotedAfter: try c.decodeIfPresent(Double.self, forKey: .promotedAfter), attempts: try c.decode(Int.self, forKey: .attempts),
                  acknowledged: try c.decode(Int.self, forKey: .acknowledged), errors: try c.decode(Int.self, forKey: .errors),
                  firstWriteOnNewPrimary: try c.decodeIfPresent(Double.self, forKey: .firstWriteOnNewPrimary),
                  longestGap: try c.decode(Double.self, forKey: .longestGap),
                  errorRateDuringFailover: try c.decodeIfPresent(Double.self, forKey: .errorRateDuringFailover),
                  errorRate: try c.decodeIfPresent(Double.self, forKey: .errorRate), lostWrites: try c.decode([Int].self, forKey: .lostWrites),
                  readBackFailure: try c.decodeIfPresent(String.self, forKey: .readBackFailure))
        awaitedManager = try c.decodeIfPresent(Double.self, forKey: .awaitedManager)
        errorSamples = try c.decodeIfPresent([String].self, forKey: .errorSamples) ?? []
        seconds = try c.decodeIfPresent([WriteSecond].self, forKey: .seconds) ?? []
    }
}
