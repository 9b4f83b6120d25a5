import Foundation

/// Release ids read like `rel-20261125-123456-gateway-k3f9`: the UTC start time, the service, and a short
/// random suffix so that two releases started in the same second never collide.
public enum ReleaseID {
    public static func make(service: String, now: Date, suffix: String = randomSuffix()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let stamp = String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "-" + two(c.hour) + two(c.minute) + two(c.second)
        return "rel-\(stamp)-\(service)" + (suffix.isEmpty ? "" : "-\(suffix)")
    }

    /// Four characters from `[a-z0-9]`.
    public static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<4).map { _ in alphabet.randomElement()! })
    }
}
