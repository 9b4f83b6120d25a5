/// The floor any model must beat: the value one week earlier. For horizons past a week it repeats
/// the last observed week (it never looks at held-out values). A point whose week-earlier value is
/// missing falls back to earlier weeks (up to four), else has no forecast.
public enum SeasonalNaive {
    public static let week: Int64 = 7 * 86_400

    public static func forecast(history: QPSSeries, origin: Int64, at time: Int64) -> Double? {
        guard time >= origin else { return history.value(at: time - week) }
        let weeksBack = (time - origin) / week + 1
        for extra in 0..<4 {
            if let value = history.value(at: time - (weeksBack + Int64(extra)) * week) { return value }
        }
        return nil
    }
}

extension SeasonalNaive {
    /// The median of the same time of week over the last `weeks` observed weeks before `origin`
    /// (for a time past a week, the weeks before the origin, as `forecast` repeats them): a
    /// seasonal profile that one odd week (a spike, an outage, a holiday) does not move.
    public static func median(history: QPSSeries, origin: Int64, at time: Int64, weeks: Int = 4) -> Double? {
        let weeksBack = time >= origin ? (time - origin) / week + 1 : 1
        // A few values, sorted by insertion in a buffer on the stack (this runs for every point of a
        // horizon: no array per point).
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, weeks)) { values in
            var n = 0
            for extra in 0..<weeks {
                guard let value = history.value(at: time - (weeksBack + Int64(extra)) * week) else { continue }
                var i = n
                while i > 0, values[i - 1] > value { values[i] = values[i - 1]; i -= 1 }
                values[i] = value
                n += 1
            }
            guard n > 0 else { return nil }
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
        }
    }
}
