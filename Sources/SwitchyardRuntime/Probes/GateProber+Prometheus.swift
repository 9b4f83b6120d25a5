import Foundation
import SwitchyardCore

extension GateProber {
    /// `GET {url}/api/v1/query?query=…`; expects a scalar or a vector of at most one sample.
    func measurePrometheus(_ check: PrometheusCheck) async -> GateMeasurement {
        let base = check.url.hasSuffix("/") ? String(check.url.dropLast()) : check.url
        guard var components = URLComponents(string: base) else { return .error("prometheus url '\(check.url)' is not a URL") }
        components.path += "/api/v1/query"
        // Every byte but the unreserved ones escaped: `+` would be a space, `;` and `&` would end the parameter.
        components.percentEncodedQuery = "query=" + Self.percentEncoded(check.query)
        guard let url = components.string else { return .error("prometheus url '\(check.url)' is not a URL") }
        let answer: ProbeAnswer
        do {
            answer = try await ProbeHTTP.fetch(client, url: url, timeout: check.timeout.duration)
        } catch {
            return .error("prometheus at \(check.url): \(ProbeHTTP.reason(error))")
        }
        switch PrometheusQueryResult.parse(answer.body) {
        case .failure(let problem):
            return .error("prometheus at \(check.url) answered \(answer.status): \(problem.message)")
        case .success(let value):
            guard (200...299).contains(answer.status) else {
                return .error("prometheus at \(check.url) answered \(answer.status)")
            }
            var measurement = MetricJudge.judge(check, value: value)
            measurement.message += " (\(check.query))"
            return measurement
        }
    }
}

extension GateProber {
    /// `text` with every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// The result of a Prometheus instant query, read as one number.
enum PrometheusQueryResult {
    struct Problem: Error { var message: String }

    /// The value of a scalar or a one-sample vector; nil for an empty vector.
    static func parse(_ body: String) -> Result<Double?, Problem> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return .failure(Problem(message: "not JSON: \(body.prefix(120))"))
        }
        guard let status = object["status"] as? String else { return .failure(Problem(message: "no 'status' in the answer")) }
        if status != "success" {
            let kind = object["errorType"] as? String ?? "error"
            let text = object["error"] as? String ?? "no message"
            return .failure(Problem(message: "status \(status): \(kind): \(text)"))
        }
        guard let data = object["data"] as? [String: Any], let type = data["resultType"] as? String else {
            return .failure(Problem(message: "no data.resultType in the answer"))
        }
        switch type {
        case "scalar":
            guard let pair = data["result"] as? [Any], pair.count == 2 else { return .failure(Problem(message: "a scalar without [time, value]")) }
            return number(pair[1])
        case "vector":
            guard let samples = data["result"] as? [[String: Any]] else { return .failure(Problem(message: "a vector without samples")) }
            if samples.isEmpty { return .success(nil) }
            guard samples.count == 1 else {
                return .failure(Problem(message: "the query returned \(samples.count) series; write it to return one (sum(...), say)"))
            }
            guard let pair = samples[0]["value"] as? [Any], pair.count == 2 else { return .failure(Problem(message: "a sample without [time, value]")) }
            return number(pair[1])
        default:
            return .failure(Problem(message: "result type \(type); expected a scalar or a vector"))
        }
    }

    private static func number(_ value: Any) -> Result<Double?, Problem> {
        guard let text = value as? String, let number = PrometheusExposition.parseValue(text) else {
            return .failure(Problem(message: "the value \(value) is not a number in a string"))
        }
        return .success(number)
    }
}
