import Foundation
import SwitchyardCore

/// What a viewer of a drill run in another process sees: the steps and the seconds of traffic that its runner keeps
/// in the stored report as they happen, read after a cursor. One reader for the API's event stream and the CLI's
/// local `yard drill watch`, so both show what the runner's own live view shows.
public enum DrillRunFeed {
    public enum Event: Sendable, Hashable {
        case step(DrillStep)
        /// One second of traffic; `faulted` while the fault was in place.
        case second(DrillSecond, faulted: Bool)
    }

    /// How far a viewer has read: steps and seconds of the report. Written `STEPS.SECONDS` (`7.42`), the event
    /// stream's `id:` and `Last-Event-ID`.
    public struct Cursor: Sendable, Hashable, CustomStringConvertible {
        public var steps: Int
        public var seconds: Int

        public init(steps: Int = 0, seconds: Int = 0) {
            self.steps = steps
            self.seconds = seconds
        }

        public init?(parsing text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let steps = Int(parts[0]), let seconds = Int(parts[1]), steps >= 0, seconds >= 0 else { return nil }
            self.init(steps: steps, seconds: seconds)
        }

        public var description: String { "\(steps).\(seconds)" }
    }

    /// The events of `report` after `cursor`, each with the cursor that follows it: the new steps, then the new seconds.
    public static func events(in report: DrillReport, after cursor: Cursor) -> [(event: Event, cursor: Cursor)] {
        var position = cursor
        var events: [(event: Event, cursor: Cursor)] = []
        for step in report.steps.dropFirst(cursor.steps) {
            position.steps += 1
            events.append((.step(step), position))
        }
        for second in report.seconds.dropFirst(cursor.seconds) {
            position.seconds += 1
            events.append((.second(second, faulted: report.faulted(second.second)), position))
        }
        return events
    }

    /// The report stored with `record`, if it has one that can be read.
    public static func report(_ record: DrillRunRecord) -> DrillReport? {
        try? record.report?.decode(DrillReport.self)
    }
}
