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
        var values: [Double] = []
        for extra in 0..<weeks {
            if let value = history.value(at: time - (weeksBack + Int64(extra)) * week) { values.append(value) }
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        let n = values.count
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }
}
