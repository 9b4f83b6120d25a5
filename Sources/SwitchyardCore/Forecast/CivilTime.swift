import Foundation

/// Calendar arithmetic on naive wall-clock time, counted in seconds from 1970-01-01T00:00.
///
/// The forecast works on the wall clock of the history (the hour of day and the weekday that
/// people live by), so timestamps are never shifted to a time zone they were not written in.
/// Algorithms from Howard Hinnant's `days_from_civil` / `civil_from_days` (public domain).
public enum CivilTime {
    public static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    public static func civil(days z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    public static func seconds(_ date: LocalDateTime) -> Int64 {
        days(year: date.year, month: date.month, day: date.day) * secondsPerDay + Int64(date.hour * 3600 + date.minute * 60)
    }

    public static func localDateTime(seconds: Int64) -> LocalDateTime {
        let day = floorDiv(seconds, secondsPerDay)
        let rest = seconds - day * secondsPerDay
        let (y, m, d) = civil(days: day)
        return LocalDateTime(year: y, month: m, day: d, hour: Int(rest / 3600), minute: Int(rest % 3600 / 60))
    }

    /// 0 for Sunday, as cron counts.
    public static func weekday(seconds: Int64) -> Int {
        Int(((floorDiv(seconds, secondsPerDay) + 4) % 7 + 7) % 7)
    }

    /// `2026-11-11 09:00` (minutes always shown), for tables and reports.
    public static func format(seconds: Int64) -> String {
        let t = localDateTime(seconds: seconds)
        return String(format: "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour, t.minute)
    }

    /// `2026-11-11T09:00:05+00:00`: the one time format of exports and `--json`. The history's wall
    /// clock is written with offset +00:00 (a timestamp with an offset was converted to UTC on reading).
    public static func iso8601(seconds: Int64) -> String {
        let day = floorDiv(seconds, secondsPerDay)
        let rest = Int(seconds - day * secondsPerDay)
        let (y, m, d) = civil(days: day)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = y >= 1000 ? "\(y)" : String(repeating: "0", count: max(0, 4 - "\(max(0, y))".count)) + "\(max(0, y))"
        return "\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))+00:00"
    }

    public static func formatDate(seconds: Int64) -> String {
        let t = localDateTime(seconds: seconds)
        return String(format: "%04d-%02d-%02d", t.year, t.month, t.day)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
