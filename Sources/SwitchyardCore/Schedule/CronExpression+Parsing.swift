extension CronExpression {
    /// Macros and the five fields they stand for.
    public static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses `*/15 9-17 * * mon-fri`, `0 3 1 1,4,7,10 *`, `@daily` and the like.
    /// Errors name the field, the offending token and its character offset in `text`.
    public init(parsing text: String) throws(CronParseError) {
        let chars = Array(text)
        let words = Self.words(of: chars)
        guard let first = words.first else {
            throw CronParseError(field: nil, token: text, position: 0,
                                 message: "empty cron expression: write five fields (minute hour day-of-month month day-of-week) or a macro such as @daily")
        }
        if first.text.hasPrefix("@") {
            let macro = first.text.lowercased()
            guard let expansion = Self.macros[macro] else {
                let hint = macro == "@reboot"
                    ? "@reboot has no time to fire at; use a schedule such as @daily"
                    : "unknown macro \(first.text); use one of @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually"
                        + (Suggestion.closest(to: macro, in: Self.macros.keys.sorted()).map { " (did you mean \($0)?)" } ?? "")
                throw CronParseError(field: nil, token: first.text, position: first.position, message: hint)
            }
            if words.count > 1 {
                throw CronParseError(field: nil, token: words[1].text, position: words[1].position,
                                     message: "unexpected \(words[1].text) after \(first.text): a macro stands alone")
            }
            self = try! CronExpression(fields: Self.words(of: Array(expansion)), source: text)
            return
        }
        guard words.count == 5 else {
            let fieldList = "minute hour day-of-month month day-of-week"
            if words.count > 5 {
                throw CronParseError(field: nil, token: words[5].text, position: words[5].position,
                                     message: "expected 5 fields (\(fieldList)), got \(words.count); seconds and year fields are not supported")
            }
            throw CronParseError(field: nil, token: text, position: first.position,
                                 message: "expected 5 fields (\(fieldList)), got \(words.count)")
        }
        try self.init(fields: words, source: text)
    }

    private init(fields: [Word], source: String) throws(CronParseError) {
        var sets: [BitSet] = []
        for (field, word) in zip(CronField.allCases, fields) {
            sets.append(try Self.parse(word, as: field))
        }
        self.source = source
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = sets[4]
        restrictsDayOfMonth = !fields[2].text.hasPrefix("*")
        restrictsDayOfWeek = !fields[4].text.hasPrefix("*")
    }

    struct Word {
        var text: String
        var position: Int
    }

    /// Splits on `separator` (whitespace when nil), keeping each piece's offset; empty pieces are kept
    /// for a separator so that `1,,2` can be reported.
    static func words(of chars: [Character], from offset: Int = 0, separator: Character? = nil) -> [Word] {
        var result: [Word] = []
        var start: Int?
        for (index, char) in chars.enumerated() {
            let isSeparator = separator.map { char == $0 } ?? char.isWhitespace
            if isSeparator {
                if let begin = start { result.append(Word(text: String(chars[begin..<index]), position: offset + begin)) }
                else if separator != nil { result.append(Word(text: "", position: offset + index)) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let begin = start { result.append(Word(text: String(chars[begin...]), position: offset + begin)) }
        else if separator != nil { result.append(Word(text: "", position: offset + chars.count)) }
        return result
    }

    private static func parse(_ word: Word, as field: CronField) throws(CronParseError) -> BitSet {
        var set = BitSet()
        for element in words(of: Array(word.text), from: word.position, separator: ",") {
            guard !element.text.isEmpty else {
                throw CronParseError(field: field, token: word.text, position: word.position,
                                     message: "empty element in list \(word.text); separate values with single commas, e.g. 1,3,5")
            }
            for value in try parseElement(element, as: field) {
                set.insert(field == .dayOfWeek && value == 7 ? 0 : value)
            }
        }
        return set
    }

    /// One list element: `*`, `*/s`, `a`, `a-b` or `a-b/s`.
    private static func parseElement(_ element: Word, as field: CronField) throws(CronParseError) -> StrideThrough<Int> {
        let parts = words(of: Array(element.text), from: element.position, separator: "/")
        guard parts.count <= 2 else {
            throw CronParseError(field: field, token: element.text, position: element.position,
                                 message: "\(element.text) has more than one /; write a step once, e.g. */15 or 10-50/10")
        }
        let base = parts[0]
        var step = 1
        if parts.count == 2 {
            let stepWord = parts[1]
            guard let value = Int(stepWord.text), stepWord.text.allSatisfy(\.isASCII) else {
                throw CronParseError(field: field, token: stepWord.text, position: stepWord.position,
                                     message: "step \(stepWord.text.isEmpty ? "(empty)" : stepWord.text) is not a number; write e.g. */15")
            }
            let natural = field == .dayOfWeek ? 0...6 : field.writtenRange
            guard (1...natural.upperBound).contains(value) else {
                throw CronParseError(field: field, token: stepWord.text, position: stepWord.position,
                                     message: "step \(value) is out of range 1-\(natural.upperBound)")
            }
            step = value
        }
        if base.text == "*" {
            let natural = field == .dayOfWeek ? 0...6 : field.writtenRange
            return stride(from: natural.lowerBound, through: natural.upperBound, by: step)
        }
        let ends = words(of: Array(base.text), from: base.position, separator: "-")
        guard ends.count <= 2 else {
            throw CronParseError(field: field, token: base.text, position: base.position,
                                 message: "\(base.text) is not a range; write two values with one -, e.g. 1-5")
        }
        let low = try value(ends[0], as: field)
        guard ends.count == 2 else {
            if parts.count == 2 {
                let range = field.writtenRange
                throw CronParseError(field: field, token: element.text, position: element.position,
                                     message: "a step needs a range or *: write \(low)-\(range.upperBound)/\(step) or */\(step)")
            }
            return stride(from: low, through: low, by: 1)
        }
        let high = try value(ends[1], as: field)
        guard low <= high else {
            let range = field.writtenRange
            throw CronParseError(field: field, token: base.text, position: base.position,
                                 message: "range \(base.text) runs backwards; ranges do not wrap, write \(low)-\(range.upperBound),\(range.lowerBound)-\(high)")
        }
        return stride(from: low, through: high, by: step)
    }

    /// A number or, in month and day-of-week, a three-letter name (any case).
    private static func value(_ word: Word, as field: CronField) throws(CronParseError) -> Int {
        let range = field.writtenRange
        let rangeText = "\(range.lowerBound)-\(range.upperBound)"
        if word.text.isEmpty {
            throw CronParseError(field: field, token: word.text, position: word.position,
                                 message: "missing value; \(field) takes \(rangeText)")
        }
        if word.text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let number = Int(word.text), range.contains(number) else {
                throw CronParseError(field: field, token: word.text, position: word.position,
                                     message: "\(word.text) is out of range \(rangeText)")
            }
            return number
        }
        if let named = field.names[word.text.lowercased()] { return named }
        let names = field.names.sorted { $0.value < $1.value }.map(\.key)
        if names.isEmpty {
            throw CronParseError(field: field, token: word.text, position: word.position,
                                 message: "\(word.text) is not a number; \(field) takes \(rangeText)")
        }
        let suggestion = Suggestion.closest(to: word.text, in: names).map { " (did you mean \($0)?)" } ?? ""
        throw CronParseError(field: field, token: word.text, position: word.position,
                             message: "unknown name \(word.text)\(suggestion); \(field) takes \(rangeText) or \(names.first!)..\(names.last!)")
    }
}
