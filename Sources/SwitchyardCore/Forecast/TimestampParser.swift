/// Reads the timestamps a history may hold, returning wall-clock seconds (see `CivilTime`):
///
/// - `2026-11-11`, `2026-11-11 09:30`, `2026-11-11 09:30:15`, `2026-11-11T09:30:15.250`: naive,
///   taken as the wall clock they are written in;
/// - the same with `Z`, `+08:00`, `+0800` or `-05:00`: converted to UTC;
/// - `1731312000` (optionally with a fraction): Unix seconds, UTC.
///
/// Seconds and fractions are dropped below one second.
public enum TimestampParser {
    public static func parse(_ text: Substring) -> Int64? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        while let first = bytes.first, first == UInt8(ascii: " ") { bytes.removeFirst() }
        if bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") { bytes = Array(bytes.dropFirst().dropLast()) }
        return bytes.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        guard n > 0 else { return nil }
        func digit(_ i: Int) -> Int? {
            guard i < n else { return nil }
            let c = b[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        func number(_ at: Int, _ width: Int) -> Int? {
            var v = 0
            for i in at..<(at + width) { guard let d = digit(i) else { return nil }; v = v * 10 + d }
            return v
        }
        // Unix seconds: digits only, with an optional fraction, and no date dash at index 4.
        if n <= 4 || b[4] != UInt8(ascii: "-") {
            var i = 0
            var negative = false
            if b[0] == UInt8(ascii: "-") { negative = true; i = 1 }
            var v: Int64 = 0
            var digits = 0
            while i < n, let d = digit(i) { v = v &* 10 &+ Int64(d); i += 1; digits += 1 }
            guard digits > 0, digits <= 12 else { return nil }
            if i < n {
                guard b[i] == UInt8(ascii: ".") else { return nil }
                i += 1
                while i < n, digit(i) != nil { i += 1 }
                guard i == n else { return nil }
            }
            return negative ? -v : v
        }
        guard n >= 10, let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2),
              b[7] == UInt8(ascii: "-"), let day = number(8, 2),
              (1...12).contains(month), (1...LocalDateTime.daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = CivilTime.days(year: year, month: month, day: day) * CivilTime.secondsPerDay
        var i = 10
        if i == n { return seconds }
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hour = number(i, 2), i + 2 < n, b[i + 2] == UInt8(ascii: ":"), let minute = number(i + 3, 2),
              hour < 24, minute < 60 else { return nil }
        i += 5
        var second = 0
        if i < n, b[i] == UInt8(ascii: ":") {
            guard let s = number(i + 1, 2), s < 61 else { return nil }
            second = s
            i += 3
            if i < n, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                while i < n, digit(i) != nil { i += 1 }
            }
        }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        if i == n { return seconds }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == n ? seconds : nil }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
        i += 1
        guard let offsetHours = number(i, 2) else { return nil }
        i += 2
        var offsetMinutes = 0
        if i < n {
            if b[i] == UInt8(ascii: ":") { i += 1 }
            guard let m = number(i, 2) else { return nil }
            offsetMinutes = m
            i += 2
        }
        guard i == n, offsetHours <= 18, offsetMinutes < 60 else { return nil }
        return seconds - sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
    }
}
