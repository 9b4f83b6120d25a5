import Foundation
import SwitchyardCore

extension GateProber {
    /// The path on every instance of the slot and once through the listener. A wrong status or body
    /// fails; no answer (refused, timeout) is an error; a failure outranks an error.
    func measureHTTP(_ check: HTTPCheck, target: ProbeTarget) async -> GateMeasurement {
        let places = target.instances.map { ($0.description, target.url($0, check.path)) } + [("listener \(target.listener)", target.url(target.listener, check.path))]
        let client = self.client
        let results = await withTaskGroup(of: (String, Result<ProbeAnswer, any Error>).self) { group in
            for (name, url) in places {
                group.addTask {
                    do { return (name, .success(try await ProbeHTTP.fetch(client, url: url, method: check.method, timeout: check.timeout.duration))) }
                    catch { return (name, .failure(error)) }
                }
            }
            var all: [(String, Result<ProbeAnswer, any Error>)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        var failures: [String] = []
        var errors: [String] = []
        for (name, result) in results {
            switch result {
            case .success(let answer):
                if answer.status != check.expectStatus {
                    failures.append("\(name) answered \(answer.status), expected \(check.expectStatus)")
                } else if let text = check.bodyContains, !answer.body.contains(text) {
                    failures.append("\(name): body does not contain '\(text)'")
                }
            case .failure(let error):
                errors.append("\(name): \(ProbeHTTP.reason(error))")
            }
        }
        let what = "\(check.method) \(check.path)"
        if !failures.isEmpty { return .fail(Double(failures.count), "\(what): " + (failures + errors).joined(separator: "; ")) }
        if !errors.isEmpty { return .error("\(what): " + errors.joined(separator: "; ")) }
        return .pass(Double(results.count), "\(what): \(results.count) answers \(check.expectStatus)\(check.bodyContains.map { " containing '\($0)'" } ?? "")")
    }
}
