import Foundation
@testable import SwitchyardCore

/// `2026-03-08T07:00Z` or `2026-03-08T07:00:30Z` as an instant.
func utc(_ text: String) -> Date {
    let full = text.count == 17 ? String(text.dropLast()) + ":00Z" : text
    guard let date = ISO8601DateFormatter().date(from: full) else { fatalError("bad test date \(text)") }
    return date
}

/// An instant as `2026-03-08T07:00Z` (seconds shown only when not zero).
func utcText(_ date: Date) -> String {
    let text = ISO8601DateFormatter().string(from: date)
    return text.hasSuffix(":00Z") ? String(text.dropLast(4)) + "Z" : text
}

func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier)! }

func cron(_ text: String) -> CronExpression { try! CronExpression(parsing: text) }
