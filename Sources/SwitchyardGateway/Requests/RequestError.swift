/// A request the gateway refuses with 400, in OpenAI's shape: `invalid_request_error`, the
/// offending parameter in `param`, and a message a person can act on.
struct RequestError: Error, Sendable, Hashable {
    var message: String
    var param: String?
    var code: String?

    init(_ message: String, param: String? = nil, code: String? = nil) {
        self.message = message
        self.param = param
        self.code = code
    }
}
