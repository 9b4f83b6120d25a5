/// The shape check of a cron expression that manifest validation needs: five fields of
/// numbers, names, ranges, steps and lists within their bounds, or one of the macros.
enum CronSyntax {
    static let macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    static let fields: [(name: String, range: ClosedRange<Int>, names: [String])] = [
        ("minute", 0...59, []),
        ("hour", 0...23, []),
        ("day of month", 1...31, []),
        ("month", 1...12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day of week", 0...7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    /// Nil when the expression is well-formed; otherwise what is wrong, naming the field.
    static func problem(in expression: String) -> String? {
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("@") {
            return macros.contains(trimmed.lowercased()) ? nil : "unknown cron macro \"\(trimmed)\" (known: \(macros.joined(separator: ", ")))"
        }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 5 else {
            return "a cron expression has 5 fields (minute hour day-of-month month day-of-week), got \(parts.count) in \"\(trimmed)\""
        }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                if let problem = check(item: String(item), field) { return "\(field.name): \(problem)" }
            }
        }
        return nil
    }

    private static func check(item: String, _ field: (name: String, range: ClosedRange<Int>, names: [String])) -> String? {
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count) else { return "\"\(item)\" has more than one /" }
        if pieces.count == 2 {
            guard let step = Int(pieces[1]), step >= 1 else { return "step \"\(pieces[1])\" must be a whole number of at least 1" }
            _ = step
        }
        let base = pieces[0]
        if base == "*" { return nil }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count) else { return "\"\(base)\" is not a value or a range" }
        var values: [Int] = []
        for bound in bounds {
            if let number = Int(bound) {
                guard field.range.contains(number) else { return "\(number) is out of range \(field.range.lowerBound)-\(field.range.upperBound)" }
                values.append(number)
            } else if let index = field.names.firstIndex(of: bound.lowercased()) {
                values.append(field.range.lowerBound + index)
            } else {
                return "\"\(bound)\" is not a number\(field.names.isEmpty ? "" : " or a name (\(field.names.joined(separator: ", ")))")"
            }
        }
        if values.count == 2, values[0] > values[1] { return "range \(base) runs backwards" }
        return nil
    }
}
