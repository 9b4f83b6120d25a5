import Foundation

extension ForecastReport {
    /// The table `yard forecast` prints.
    public var text: String {
        func q(_ v: Double) -> String { String(format: "%.0f", v) }
        func pct(_ v: Double?) -> String { v.map { $0.isNaN ? "n/a" : String(format: "%.1f%%", $0) } ?? "n/a" }
        var lines: [String] = []
        lines.append("\(name): \(target.name)")
        lines.append("history      \(history.source): \(history.points) points, \(CivilTime.format(seconds: history.first)) .. \(CivilTime.format(seconds: history.last)), step \(TimeSpan.seconds(history.stepSeconds))"
            + (history.gaps > 0 ? ", \(history.gaps) gap(s), longest \(TimeSpan.seconds(history.longestGapSeconds))" : ""))
        lines.append(String(format: "model        growth %+.1f%%/year, residual sd %.3f (log), %d columns, %d changepoints", model.annualGrowth * 100, model.residualSD, model.columns, model.changepoints))
        lines.append("method       \(model.method)" + (model.foldCoverage80.map { String(format: "; 80%% interval: %.0f%% expected, %.1f%% seen on the calibration folds", model.expectedCoverage80, $0) } ?? ""))
        lines.append("event        \(CivilTime.format(seconds: target.eventStart)) .. \(CivilTime.format(seconds: target.eventEnd)); \(target.basis)")
        lines.append("peak         \(q(peak.value)) QPS at \(CivilTime.format(seconds: peak.time)); 80% [\(q(peak.lower80)), \(q(peak.upper80))], 95% [\(q(peak.lower95)), \(q(peak.upper95))]")
        lines.append("planned for  \(q(peakUpper95)) QPS (highest 95% upper bound in the window)")
        lines.append("ordinary day \(q(ordinaryPeak.value)) QPS at \(CivilTime.format(seconds: ordinaryPeak.time)), 95% upper \(q(ordinaryUpper95))")
        lines.append("")
        let per = capacity.input
        lines.append(String(format: "capacity     %.0f QPS per instance at %@ utilisation, %@ headroom, %@", per.perInstanceQPS, per.targetUtilisation.description,
                            per.headroom.description, per.surviveZoneLoss ? "survives the loss of any one zone (\(capacity.survivors == 1 ? "the 1 zone left carries" : "the \(capacity.survivors) zones left carry") the peak)" : "no zone-loss margin"))
        if let basis = per.perInstanceBasis { lines.append("             per-instance QPS from \(basis)") }
        for warning in warnings { lines.append("WARNING      \(warning)") }
        let zoneWidth = max(5, capacity.lines.map(\.zone.count).max() ?? 4)
        lines.append("zone".padding(toLength: zoneWidth, withPad: " ", startingAt: 0) + "   now → event   ordinary day")
        for line in capacity.lines {
            let arrow = String(format: "%5d → %-5d", line.now, line.needed)
            lines.append(line.zone.padding(toLength: zoneWidth, withPad: " ", startingAt: 0) + " " + arrow + String(format: "  %5d", line.ordinary)
                + (line.change > 0 ? "   (+\(line.change))" : ""))
        }
        lines.append("total".padding(toLength: zoneWidth, withPad: " ", startingAt: 0) + " " + String(format: "%5d → %-5d  %5d", capacity.totalNow, capacity.totalNeeded, capacity.totalOrdinary))
        lines.append("")
        if let m = backtest.model {
            lines.append("backtest     \(backtest.folds.count) rolling origins x \(TimeSpan.seconds(backtest.horizonSeconds)): MAPE \(pct(m.mape)), median APE \(pct(m.medianAPE)), sMAPE \(pct(m.smape)), coverage 80% \(pct(m.coverage80)), 95% \(pct(m.coverage95))")
            if let n = backtest.seasonalNaive {
                lines.append("seasonal naive (a week earlier): MAPE \(pct(n.mape)), median APE \(pct(n.medianAPE)), sMAPE \(pct(n.smape))")
            }
        } else {
            lines.append("backtest     not run" + (backtest.note.map { ": \($0)" } ?? ""))
        }
        if let note = backtest.note, backtest.model != nil { lines.append("             \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
