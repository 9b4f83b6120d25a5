import Foundation

/// How the store shows times in messages: UTC, to the second, with the date.
enum StateTime {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: false).timeSeparator(.colon).dateTimeSeparator(.space)) + " UTC"
    }
}
