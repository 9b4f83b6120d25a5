import Foundation

/// How drill reports write numbers: `99.43%`, `5.2s`, `830 ms`.
public enum DrillFormat {
    /// A fraction as a percentage with at most two decimals: `100%`, `99.43%`, `12.5%`.
    public static func percent(_ value: Double) -> String {
        trimmed(String(format: "%.2f", value * 100)) + "%"
    }

    /// Seconds with at most one decimal: `0s`, `5s`, `12.3s`.
    public static func seconds(_ value: Double) -> String {
        trimmed(String(format: "%.1f", value)) + "s"
    }

    /// A latency: whole milliseconds under a second, seconds with at most two decimals from there:
    /// `830 ms`, `2.4 s`.
    public static func milliseconds(_ value: Double) -> String {
        value >= 1_000 ? trimmed(String(format: "%.2f", value / 1000)) + " s" : String(format: "%.0f ms", value)
    }

    /// An instant as ISO 8601 in UTC: `2026-11-25T15:00:00Z`.
    public static func instant(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// The time of `date` after `origin`: `+12.3s`.
    public static func offset(_ date: Date, from origin: Date) -> String {
        let value = date.timeIntervalSince(origin)
        return (value < 0 ? "-" : "+") + seconds(abs(value))
    }

    private static func trimmed(_ number: String) -> String {
        guard number.contains(".") else { return number }
        var text = Substring(number)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }
}
