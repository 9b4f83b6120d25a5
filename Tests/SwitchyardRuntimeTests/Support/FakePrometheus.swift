import SwitchyardTesting
import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchyardCore

/// A tiny real HTTP server that answers `GET /api/v1/query` the way the Prometheus HTTP API does,
/// choosing its answer by the query text. A test double for the Prometheus server only (a real one
/// is not installed on the test machines); the prober talks to it over real HTTP.
enum FakePrometheus {
    static func answer(for query: String) async -> (HTTPResponse.Status, String) {
        switch query {
        case "scalar(0.25)":
            return (.ok, #"{"status":"success","data":{"resultType":"scalar","result":[1700000000.123,"0.25"]}}"#)
        case #"sum(rate(x{a="1;2",b=~"c&d"}[1m]))"#:
            // Arrives whole only when `;` and `&` were percent-encoded.
            return (.ok, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.03"]}]}}"#)
        case "empty":
            return (.ok, #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        case "many":
            return (.ok, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}"#)
        case "bad(":
            return (.badRequest, #"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}"#)
        case "garbage":
            return (.ok, "<html>not prometheus</html>")
        case "slow":
            try? await Task.sleep(for: .seconds(3))
            return (.ok, #"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#)
        default:
            // Echo the number in the query as a one-sample vector, so `1 + 0.5` shows the `+` arrived intact.
            let value = query == "1 + 0.5" ? "1.5" : query
            return (.ok, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"gateway"},"value":[1700000000.5,"\#(value)"]}]}}"#)
        }
    }

    /// Runs the server on an ephemeral loopback port for the length of `body`.
    static func with<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/api/v1/query") { request, _ -> Response in
            let query = request.uri.queryParameters.get("query") ?? ""
            let (status, text) = await answer(for: query)
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return try await LocalHTTPServer.with(router, name: "the fake Prometheus", body)
    }
}
