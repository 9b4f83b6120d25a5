import Foundation

/// The effect of the coming event on log QPS, day offset by day offset: the mean of the past
/// events it resembles (their coefficients at the same offsets) and the spread between them,
/// or a manual multiplier for an event with no history.
public struct TargetEffect: Sendable, Hashable, Codable {
    public var window: EventWindow
    /// Per slot of `window`: mean log effect and its variance.
    public var logEffect: [Double]
    public var variance: [Double]
    /// How it was obtained, for the report: "learned from 2 past events: a, b" or "manual multiplier 5x".
    public var basis: String
    public var learnedFrom: [String]

    /// Slot values at a time (0 effect outside the window).
    public func effect(at seconds: Int64) -> (log: Double, variance: Double) {
        guard let slot = window.slot(day: CivilTime.floorDiv(seconds, CivilTime.secondsPerDay)) else { return (0, 0) }
        return (logEffect[slot], variance[slot])
    }

    /// `like` matches a past event by its exact name or as a prefix (`singles-day` matches
    /// `singles-day-2025`); an empty `like` means every past event.
    public static func make(for target: TargetEvent, model: ForecastModel) -> TargetEffect {
        if let multiplier = target.multiplier {
            let window = EventWindow(name: target.name, start: target.start, end: target.end, daysBefore: 0, daysAfter: 0)
            return TargetEffect(window: window, logEffect: Array(repeating: log(max(multiplier, 1e-9)), count: window.width),
                                variance: Array(repeating: 0, count: window.width),
                                basis: "manual multiplier \(multiplier)x", learnedFrom: [])
        }
        let layout = model.layout
        let liked = layout.events.indices.filter { index in
            let name = layout.events[index].name
            let matches = target.like.isEmpty || target.like.contains { name == $0 || name.hasPrefix($0) }
            let seen = (0..<layout.events[index].width).contains { model.eventRows[layout.eventBase(index) - layout.eventBase + $0] > 0 }
            return matches && seen
        }
        let before = liked.map { layout.events[$0].daysBefore }.max() ?? 0
        let after = liked.map { layout.events[$0].daysAfter }.max() ?? 0
        let window = EventWindow(name: target.name, start: target.start, end: target.end, daysBefore: before, daysAfter: after)
        var means: [Double] = []
        var variances: [Double] = []
        for offset in window.offsets {
            var values: [Double] = []
            for index in liked {
                let event = layout.events[index]
                guard let slot = event.slot(matching: offset, targetDays: window.days) else { continue }
                let column = layout.eventBase(index) + slot
                guard model.eventRows[column - layout.eventBase] > 0 else { continue }
                values.append(model.coefficients[column])
            }
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            // The spread between past events is how much the next one may differ; with one past
            // event there is no spread to measure, so assume a 15 % standard deviation.
            let variance = values.count >= 2
                ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
                : (values.isEmpty ? 0 : 0.15 * 0.15)
            means.append(mean)
            variances.append(variance)
        }
        let names = liked.map { layout.events[$0].name }
        let basis = names.isEmpty
            ? "no past event matched: ordinary forecast (give the target a multiplier for an event with no history)"
            : "learned from \(names.count) past event\(names.count == 1 ? "" : "s"): \(names.joined(separator: ", "))"
        return TargetEffect(window: window, logEffect: means, variance: variances, basis: basis, learnedFrom: names)
    }
}
