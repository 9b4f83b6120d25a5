import Foundation
import SwitchyardCore

/// Loads the history a capacity plan names.
public enum HistoryLoader {
    /// `baseDirectory` resolves a relative CSV path (the manifest's folder); `now` bounds a
    /// Prometheus range and the synthetic generator's end is fixed.
    public static func load(_ source: HistorySource, baseDirectory: String? = nil, now: Date = Date(),
                            progress: (String) -> Void = { _ in }) async throws(HistoryError) -> (series: QPSSeries, source: String) {
        switch source {
        case .csv(let path):
            let resolved = path.hasPrefix("/") || baseDirectory == nil ? path : (baseDirectory! as NSString).appendingPathComponent(path)
            progress("reading \(resolved)")
            let (series, summary) = try CSVHistoryReader.read(path: resolved)
            if summary.missingSkipped > 0 {
                progress("\(resolved): \(summary.missingSkipped) missing value(s) skipped")
            }
            return (series, resolved)
        case .prometheus(let url, let query, let since, let step):
            // On the step's grid, ending one step before now: a rate() at now reads a window whose newest samples are
            // not scraped yet and comes out low (a third low, seen against a real Prometheus), as the history's last point.
            let seconds = max(1, Int64(step.seconds))
            let end = Int64(now.timeIntervalSince1970) / seconds * seconds - seconds
            let start = end - Int64(since.seconds)
            let client = PrometheusHistoryClient(baseURL: url)
            let series = try await client.rangeQuery(query, start: start, end: end, step: seconds, progress: progress)
            return (series, url)
        case .synthetic(let seed, let years):
            progress("generating \(years) year(s) of synthetic hourly QPS (seed \(seed))")
            return (SyntheticHistory(seed: seed, years: years).generate(), "synthetic(seed: \(seed), years: \(years))")
        }
    }
}
