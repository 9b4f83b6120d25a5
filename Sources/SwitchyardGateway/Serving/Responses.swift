import Hummingbird
import SwitchyardCore

/// Small builders for the responses the gateway sends.
enum Responses {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONCoding.data(value))))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An OpenAI-style error body.
    static func error(
        _ status: HTTPResponse.Status, message: String, type: String, code: String? = nil, param: String? = nil,
        headers: HTTPFields = [:]
    ) -> Response {
        json(OpenAIErrorResponse(message: message, type: type, param: param, code: code), status: status, headers: headers)
    }
}
