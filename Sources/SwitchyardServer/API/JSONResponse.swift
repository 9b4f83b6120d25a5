import Foundation
import Hummingbird

/// JSON bodies the API sends: sorted keys, ISO 8601 dates.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal","message":"response could not be encoded","details":{}}}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// Decodes a request body, answering 400 with what was wrong.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 1 << 20) async throws -> T {
        let buffer = try await request.body.collect(upTo: limit)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer: buffer))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.badRequest("the body lacks the field \(key.stringValue)")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw APIError.badRequest("field \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw APIError.badRequest("the body is not the JSON object expected: \(error)")
        }
    }
}
