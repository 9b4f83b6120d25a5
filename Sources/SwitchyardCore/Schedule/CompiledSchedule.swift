import Foundation

/// A `DrillSchedule` with its cron expression parsed and its time zone resolved: what the
/// scheduler, the listing and the manifest validator work from.
public struct CompiledSchedule: Sendable, Hashable {
    public let schedule: DrillSchedule
    public let cron: CronExpression
    public let timeZone: TimeZone

    public init(_ schedule: DrillSchedule) throws(ScheduleError) {
        if let problem = Self.problems(in: schedule).first { throw problem }
        self.schedule = schedule
        self.cron = try! CronExpression(parsing: schedule.cron)
        self.timeZone = TimeZone(identifier: schedule.timeZone)!
    }

    /// Every problem in a schedule, for the manifest validator: cron syntax, time zone, blackouts
    /// that can never apply, negative deadlines.
    public static func problems(in schedule: DrillSchedule) -> [ScheduleError] {
        var problems: [ScheduleError] = []
        do { _ = try CronExpression(parsing: schedule.cron) } catch { problems.append(.cron(error)) }
        if TimeZone(identifier: schedule.timeZone) == nil {
            problems.append(.unknownTimeZone(schedule.timeZone,
                                             suggestion: Suggestion.closest(to: schedule.timeZone, in: TimeZone.knownTimeZoneIdentifiers)))
        }
        for (index, blackout) in schedule.blackouts.enumerated() {
            switch blackout {
            case .range(let name, let from, let to) where !(from < to):
                problems.append(.emptyBlackout(index: index, name: name, message: "ends at \(to), not after its start \(from)"))
            case .weekly(let name, let days, _, _) where days.isEmpty:
                problems.append(.emptyBlackout(index: index, name: name, message: "lists no days"))
            default: break
            }
        }
        if schedule.startingDeadline.milliseconds < 0 { problems.append(.negativeDeadline("startingDeadline")) }
        if schedule.deferDeadline.milliseconds < 0 { problems.append(.negativeDeadline("deferDeadline")) }
        return problems
    }

    public var blackouts: BlackoutCalendar { BlackoutCalendar(blackouts: schedule.blackouts, timeZone: timeZone) }

    public func next(after date: Date) -> Date? { cron.next(after: date, in: timeZone) }
    public func previous(before date: Date) -> Date? { cron.previous(before: date, in: timeZone) }
    public func upcoming(after date: Date, count: Int) -> [Date] { cron.upcoming(after: date, count: count, in: timeZone) }
    public func blackout(containing date: Date) -> Blackout? { blackouts.blackout(containing: date) }
}

/// A problem with a drill schedule, as the manifest validator reports it.
public enum ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The cron expression does not parse; the error carries the field, token and offset.
    case cron(CronParseError)
    case unknownTimeZone(String, suggestion: String?)
    /// A blackout (index in `blackouts`) that can never contain any instant.
    case emptyBlackout(index: Int, name: String, message: String)
    case negativeDeadline(String)

    public var description: String {
        switch self {
        case .cron(let error): "cron: \(error)"
        case .unknownTimeZone(let name, let suggestion):
            "timeZone: unknown IANA time zone \(name)" + (suggestion.map { " (did you mean \($0)?)" } ?? "; write e.g. Europe/Berlin")
        case .emptyBlackout(let index, let name, let message): "blackouts[\(index)] \(name): \(message)"
        case .negativeDeadline(let field): "\(field): must not be negative"
        }
    }
}
