import Foundation

extension DrillReport {
    /// A `db-primary-loss`'s section of the HTML page: the writers' figures (RTO, longest gap, acknowledged writes
    /// lost), then the write seconds from the kill in a table beside the HTTP traffic's second that overlaps each most
    /// (the traffic's second nearest to `injectedAt + k`). Empty without a write probe.
    func writesHTML() -> String {
        guard let writes else { return "" }
        let escape = ReportChart.escape
        func s(_ value: Double?) -> String { value.map { DrillFormat.milliseconds($0 * 1000) } ?? "never" }
        let lost: String
        if let count = writes.lost {
            lost = "\(count) acknowledged before the loss and absent on the new primary"
                + (count == 0 ? "" : " (#\(writes.lostWrites.prefix(20).map(String.init).joined(separator: ", #"))\(count > 20 ? ", …" : ""))")
        } else {
            lost = "unknown: \(writes.readBackFailure ?? "not read back")"
        }
        let facts: [(String, String)] = [
            ("written through", "\(writes.target), \(writes.perSecond)/s"),
            ("writes", "\(writes.attempts) sent, \(writes.acknowledged) acknowledged, \(writes.errors) failed"
                + (writes.errorRate.map { " (\(DrillFormat.percent($0)))" } ?? "")),
            ("failover", "\(writes.oldPrimary) lost, \(writes.promotion)"),
            ("writers' RTO", "\(s(writes.firstWriteOnNewPrimary)) from the loss to the first write acknowledged by the new primary"),
            ("longest write gap", s(writes.longestGap)),
            ("failover errors", writes.errorRateDuringFailover.map { "\(DrillFormat.percent($0)) of the writes from the loss to that first write failed" } ?? "n/a"),
            ("lost writes", lost),
        ]
        var page = "<h2>Writes</h2>\n<dl class=\"writes\">" + facts.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>" }.joined() + "</dl>\n"
        guard !writes.seconds.isEmpty else { return page }
        let http = Dictionary(seconds.map { ($0.second, $0) }, uniquingKeysWith: { first, _ in first })
        page += "<table class=\"write-seconds\" style=\"clear:both\"><tr><th>after the loss</th><th>writes sent</th><th>acknowledged</th><th>failed</th><th>write errors</th>"
        page += "<th>HTTP second</th><th>HTTP succeeded</th><th>HTTP failed</th></tr>\n"
        for second in writes.seconds {
            let errors = second.errorRate.map(DrillFormat.percent) ?? "none finished"
            page += "<tr\(second.second == 0 ? " class=\"kill\"" : "")><td>\(second.second) s</td><td>\(second.sent)</td><td>\(second.acknowledged)</td>"
            page += "<td>\(second.failed)</td><td>\(errors)</td>"
            if let injectedAt = measurements?.injectedAt, let traffic = http[Int((injectedAt + Double(second.second)).rounded())] {
                page += "<td>\(traffic.second)</td><td>\(traffic.succeeded)</td><td>\(traffic.failed)</td></tr>\n"
            } else {
                page += "<td>–</td><td></td><td></td></tr>\n"
            }
        }
        return page + "</table>\n"
    }
}
