import Foundation

/// The columns of the regression on log QPS, and how one row is computed from a time:
///
/// | columns | what |
/// |---|---|
/// | 0 | intercept |
/// | 1 | trend slope (time scaled to 0...1 over the training history) |
/// | changepoints | hinges max(0, t − cⱼ): the slope changes at cⱼ |
/// | daily | Fourier pairs sin/cos(2πk · time of day) (sub-daily histories) |
/// | weekend daily | the same times 1 on Saturdays and Sundays: a weekend's day has another shape |
/// | weekly | Fourier pairs over the week (two weeks of history or more) |
/// | yearly | Fourier pairs over 365.25 days (about two years of history; 1.5 at least) |
/// | events | one indicator per day offset of each past event |
public struct FeatureLayout: Sendable, Hashable, Codable {
    public var origin: Int64
    public var span: Double
    /// Changepoint locations in scaled time.
    public var changepoints: [Double]
    public var dailyOrder: Int
    public var weekendDailyOrder: Int
    public var weeklyOrder: Int
    public var yearlyOrder: Int
    public var events: [EventWindow]

    public static let yearSeconds = 365.25 * 86_400

    public init(origin: Int64, span: Double, changepoints: [Double], dailyOrder: Int, weekendDailyOrder: Int, weeklyOrder: Int, yearlyOrder: Int, events: [EventWindow]) {
        self.origin = origin
        self.span = span
        self.changepoints = changepoints
        self.dailyOrder = dailyOrder
        self.weekendDailyOrder = weekendDailyOrder
        self.weeklyOrder = weeklyOrder
        self.yearlyOrder = yearlyOrder
        self.events = events
    }

    public var changepointBase: Int { 2 }
    public var dailyBase: Int { changepointBase + changepoints.count }
    public var weekendBase: Int { dailyBase + 2 * dailyOrder }
    public var weeklyBase: Int { weekendBase + 2 * weekendDailyOrder }
    public var yearlyBase: Int { weeklyBase + 2 * weeklyOrder }
    public var eventBase: Int { yearlyBase + 2 * yearlyOrder }
    public func eventBase(_ index: Int) -> Int { eventBase + events[..<index].reduce(0) { $0 + $1.width } }
    public var columns: Int { eventBase + events.reduce(0) { $0 + $1.width } }

    public func scaledTime(_ seconds: Int64) -> Double { Double(seconds - origin) / span }

    /// Writes row `seconds` at `row[j * stride]`. Event columns are written only when
    /// `includeEvents`; the caller zeroes them otherwise.
    @inline(__always)
    public func fill(_ row: UnsafeMutablePointer<Double>, stride: Int, seconds: Int64, includeEvents: Bool = true) {
        let t = scaledTime(seconds)
        row[0] = 1
        row[stride] = t
        var c = changepointBase
        for cp in changepoints { row[c * stride] = t > cp ? t - cp : 0; c += 1 }
        let day = CivilTime.floorDiv(seconds, CivilTime.secondsPerDay)
        let secondOfDay = Double(seconds - day * CivilTime.secondsPerDay)
        if dailyOrder > 0 {
            Self.fourier(row + dailyBase * stride, stride: stride, phase: secondOfDay / 86_400, order: dailyOrder)
        }
        if weekendDailyOrder > 0 {
            let weekday = Int(((day + 4) % 7 + 7) % 7)
            if weekday == 0 || weekday == 6 {
                if weekendDailyOrder <= dailyOrder {
                    // The same phase as the daily terms: the same values, without another sin and cos.
                    for j in 0..<(2 * weekendDailyOrder) { row[(weekendBase + j) * stride] = row[(dailyBase + j) * stride] }
                } else {
                    Self.fourier(row + weekendBase * stride, stride: stride, phase: secondOfDay / 86_400, order: weekendDailyOrder)
                }
            } else {
                for j in 0..<(2 * weekendDailyOrder) { row[(weekendBase + j) * stride] = 0 }
            }
        }
        if weeklyOrder > 0 {
            let dayOfWeek = Double(((day + 4) % 7 + 7) % 7) + secondOfDay / 86_400
            Self.fourier(row + weeklyBase * stride, stride: stride, phase: dayOfWeek / 7, order: weeklyOrder)
        }
        if yearlyOrder > 0 {
            let years = Double(seconds) / Self.yearSeconds
            Self.fourier(row + yearlyBase * stride, stride: stride, phase: years - years.rounded(.down), order: yearlyOrder)
        }
        var base = eventBase
        for event in events {
            for j in 0..<event.width { row[(base + j) * stride] = 0 }
            if includeEvents, let slot = event.slot(day: day) { row[(base + slot) * stride] = 1 }
            base += event.width
        }
    }

    @inline(__always)
    static func fourier(_ out: UnsafeMutablePointer<Double>, stride: Int, phase: Double, order: Int) {
        let angle = 2 * Double.pi * phase
        let s1 = sin(angle), c1 = cos(angle)
        var s = s1, c = c1
        for k in 0..<order {
            out[(2 * k) * stride] = s
            out[(2 * k + 1) * stride] = c
            let next = s * c1 + c * s1
            c = c * c1 - s * s1
            s = next
        }
    }
}
