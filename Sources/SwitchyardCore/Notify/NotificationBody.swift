import Foundation

/// The body a target is sent: pure bytes from a notification.
public enum NotificationBody {
    public static func render(_ notification: Notice, as format: NotifyTarget.Format) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch format {
        case .webhook:
            return (try? encoder.encode(Generic(notification))) ?? Data()
        case .slack:
            return (try? encoder.encode(Chat(notification))) ?? Data()
        }
    }

    struct Generic: Encodable {
        var event: String
        var at: String
        var topology: String
        var subject: String
        var text: String
        var details: [String: String]

        init(_ n: Notice) {
            event = n.event.rawValue
            at = iso8601(n.at)
            topology = n.topology
            subject = n.subject
            text = n.text
            details = n.details
        }
    }

    struct Chat: Encodable {
        struct Attachment: Encodable {
            var color: String
            var fields: [Field]
            var footer: String
        }
        struct Field: Encodable {
            var title: String
            var value: String
            var short: Bool
        }
        var text: String
        var attachments: [Attachment]

        init(_ n: Notice) {
            text = "\(n.event.isAlarm ? ":red_circle:" : ":large_green_circle:") *\(n.event.rawValue)* \(n.text)"
            let fields = n.details.sorted { $0.key < $1.key }.map { Field(title: $0.key, value: $0.value, short: $0.value.count < 40) }
            attachments = [Attachment(color: n.event.isAlarm ? "#d13438" : "#2eb67d", fields: fields,
                                      footer: "Switchyard · \(n.topology) · \(n.subject) · \(iso8601(n.at))")]
        }
    }
}

/// `2026-12-02T04:05:06Z`: ISO 8601 with its offset, the one time format for what machines read.
func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}
