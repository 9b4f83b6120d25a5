import Foundation

/// A generator of realistic QPS for examples, tests and benchmarks (`HistorySource.synthetic`):
/// compound growth, a daily cycle peaking in the evening, busier weekends, a mild yearly swell,
/// two yearly sales (Singles' Day on 11 November at 5x with a warm-up and a tail, Black Friday at
/// 3.5x) and log-normal AR(1) noise. Same seed, same series.
public struct SyntheticHistory: Sendable, Hashable {
    public var seed: UInt64
    public var years: Int
    public var step: Int64
    /// The history ends just before this time.
    public var end: Int64
    public var baseQPS = 800.0
    public var annualGrowth = 0.40
    public var singlesDayMultiplier = 5.0
    public var blackFridayMultiplier = 3.5
    public var noiseSD = 0.08
    public var noiseAR = 0.3

    public init(seed: Int, years: Int, step: Int64 = 3_600, end: LocalDateTime = LocalDateTime(year: 2026, month: 10, day: 1)) {
        self.seed = UInt64(bitPattern: Int64(seed))
        self.years = max(1, years)
        self.step = max(1, step)
        self.end = CivilTime.seconds(end)
    }

    public var start: Int64 { end - Int64(years) * 365 * CivilTime.secondsPerDay }

    /// The sales inside the history, as past events with one day before and one after.
    public var events: [PastEvent] {
        let first = CivilTime.localDateTime(seconds: start).year
        let last = CivilTime.localDateTime(seconds: end).year
        var out: [PastEvent] = []
        for year in first...last {
            let singles = LocalDateTime(year: year, month: 11, day: 11)
            let friday = Self.blackFriday(year: year)
            for (name, day) in [("singles-day-\(year)", singles), ("black-friday-\(year)", friday)] {
                let seconds = CivilTime.seconds(day)
                guard seconds >= start, seconds + CivilTime.secondsPerDay <= end else { continue }
                out.append(PastEvent(name: name, start: day, end: day, daysBefore: 1, daysAfter: 1))
            }
        }
        return out.sorted { $0.start < $1.start }
    }

    /// The day after the fourth Thursday of November.
    public static func blackFriday(year: Int) -> LocalDateTime {
        let first = CivilTime.days(year: year, month: 11, day: 1)
        let weekday = Int(((first + 4) % 7 + 7) % 7)  // 0 = Sunday
        let firstThursday = 1 + (4 - weekday + 7) % 7
        return LocalDateTime(year: year, month: 11, day: firstThursday + 21 + 1)
    }

    /// The multiplier of the sales on a day (1 outside them).
    public func eventMultiplier(day: Int64) -> Double {
        for event in events {
            let first = CivilTime.days(year: event.start.year, month: event.start.month, day: event.start.day)
            let peak = event.name.hasPrefix("singles") ? singlesDayMultiplier : blackFridayMultiplier
            switch day - first {
            case -1: return 1 + (peak - 1) * 0.15
            case 0: return peak
            case 1: return 1 + (peak - 1) * 0.25
            default: continue
            }
        }
        return 1
    }

    public func generate() -> QPSSeries {
        var rng = SplitMix64(seed: seed)
        var times: [Int64] = []
        var values: [Double] = []
        let count = Int((end - start) / step)
        times.reserveCapacity(count)
        values.reserveCapacity(count)
        var noise = 0.0
        let innovation = noiseSD * (1 - noiseAR * noiseAR).squareRoot()
        var cachedDay = Int64.min
        var dayFactor = 1.0
        for i in 0..<count {
            let t = start + Int64(i) * step
            let day = CivilTime.floorDiv(t, CivilTime.secondsPerDay)
            if day != cachedDay {
                cachedDay = day
                let weekday = Double(((day + 4) % 7 + 7) % 7)
                let years = Double(t) / FeatureLayout.yearSeconds
                dayFactor = exp(0.10 * cos(2 * .pi * (weekday - 6.5) / 7)) * exp(0.08 * sin(2 * .pi * years)) * eventMultiplier(day: day)
            }
            let hour = Double(t - day * CivilTime.secondsPerDay) / 3_600
            let daily = exp(0.55 * cos(2 * .pi * (hour - 20) / 24) + 0.12 * cos(4 * .pi * (hour - 13) / 24))
            let growth = pow(1 + annualGrowth, Double(t - start) / FeatureLayout.yearSeconds)
            noise = noiseAR * noise + innovation * rng.nextGaussian()
            times.append(t)
            values.append((baseQPS * growth * daily * dayFactor * exp(noise) * 100).rounded() / 100)
        }
        return QPSSeries(times: times, values: values)
    }
}
