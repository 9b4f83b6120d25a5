import Foundation
@testable import SwitchyardCore

/// Seconds `range` with `per` requests each, all succeeding; p99 as given.
func steady(_ range: ClosedRange<Int>, per: Int = 100, p99: Double = 120) -> [DrillSecond] {
    range.map { DrillSecond(second: $0, sent: per, succeeded: per, streamsOpened: 1, p99: p99) }
}

/// Seconds `range` where `failed` of `per` requests fail.
func failing(_ range: ClosedRange<Int>, failed: Int, per: Int = 100, streamsCut: Int = 0, p99: Double = 900) -> [DrillSecond] {
    range.map { DrillSecond(second: $0, sent: per, succeeded: per - failed, failed: failed, streamsOpened: 1, streamsCut: streamsCut, p99: p99) }
}

/// A second in which requests were sent but none finished.
func silent(_ second: Int) -> DrillSecond { DrillSecond(second: second, sent: 100) }

let ninetyNine = Ratio.percent(99)
