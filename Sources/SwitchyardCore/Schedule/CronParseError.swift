/// Why a cron expression does not parse, located precisely enough for the manifest validator to
/// point at the column: `hour: 25 is out of range 0-23`.
public struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field the problem is in; nil for a problem with the whole expression (wrong number of fields).
    public var field: CronField?
    /// The offending text: a number, a name, a step, a whole element or the whole expression.
    public var token: String
    /// Offset of `token` in the expression as written, in characters from 0.
    /// Add it to the column where the expression's text starts in the manifest.
    public var position: Int
    /// What is wrong and what to write instead.
    public var message: String

    public init(field: CronField?, token: String, position: Int, message: String) {
        self.field = field
        self.token = token
        self.position = position
        self.message = message
    }

    public var description: String {
        field.map { "\($0): \(message)" } ?? message
    }
}
