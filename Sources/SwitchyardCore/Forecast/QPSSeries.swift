/// A history of QPS: wall-clock timestamps in seconds (see `CivilTime`), strictly increasing,
/// with one value each. Gaps are allowed and stay gaps: the model fits on the points that exist.
public struct QPSSeries: Sendable, Hashable {
    public private(set) var times: [Int64]
    public private(set) var values: [Double]

    /// Builds a series from points in any order: sorts them and averages the values of equal
    /// timestamps (a duplicate row is most often the same scrape exported twice, or two exporters
    /// of one counter; the mean keeps the level right in both cases).
    public init(unsortedTimes times: [Int64], values: [Double]) {
        precondition(times.count == values.count)
        var order = Array(times.indices)
        if !zip(times, times.dropFirst()).allSatisfy({ $0 < $1 }) {
            order.sort { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) }
        }
        var outTimes: [Int64] = []
        var outValues: [Double] = []
        outTimes.reserveCapacity(times.count)
        outValues.reserveCapacity(times.count)
        var index = 0
        while index < order.count {
            let t = times[order[index]]
            var sum = 0.0
            var count = 0
            while index < order.count, times[order[index]] == t {
                sum += values[order[index]]
                count += 1
                index += 1
            }
            outTimes.append(t)
            outValues.append(sum / Double(count))
        }
        self.times = outTimes
        self.values = outValues
    }

    /// A series already sorted and without duplicates (checked).
    public init(times: [Int64], values: [Double]) {
        precondition(times.count == values.count)
        precondition(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "times must be strictly increasing")
        self.times = times
        self.values = values
    }

    public var count: Int { times.count }
    public var isEmpty: Bool { times.isEmpty }
    public var first: Int64? { times.first }
    public var last: Int64? { times.last }

    /// The typical spacing: the median of the differences between neighbours (gaps do not move it).
    public var step: Int64 {
        guard times.count > 1 else { return CivilTime.secondsPerDay }
        var sample: [Int64] = []
        let stride = max(1, (times.count - 1) / 4096)
        var i = 1
        while i < times.count { sample.append(times[i] - times[i - 1]); i += stride }
        sample.sort()
        return max(1, sample[sample.count / 2])
    }

    /// The points with `from <= time < to`.
    public func slice(from: Int64 = .min, to: Int64 = .max) -> QPSSeries {
        let lo = lowerBound(from)
        let hi = lowerBound(to)
        return QPSSeries(checkedTimes: Array(times[lo..<max(lo, hi)]), values: Array(values[lo..<max(lo, hi)]))
    }

    /// Index of the first point at or after `time`.
    public func lowerBound(_ time: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The value at exactly `time`, if there is a point there.
    public func value(at time: Int64) -> Double? {
        let i = lowerBound(time)
        return i < times.count && times[i] == time ? values[i] : nil
    }

    /// Gaps longer than twice the step: (start of the gap, its length in seconds).
    public func gaps() -> [(after: Int64, length: Int64)] {
        let limit = 2 * step
        var out: [(Int64, Int64)] = []
        for i in 1..<max(1, times.count) where times[i] - times[i - 1] > limit {
            out.append((times[i - 1], times[i] - times[i - 1]))
        }
        return out
    }

    private init(checkedTimes: [Int64], values: [Double]) {
        self.times = checkedTimes
        self.values = values
    }
}
