import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore
import Synchronization

/// A real HTTP client for the tests, with room for many connections to one host.
enum TestHTTP {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 500)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        // Shared for the whole test process and never shut down: it lives as long as the process.
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    static func chatBody(stream: Bool, maxTokens: Int? = nil, delayMs: Int? = nil, prompt: String = "hello") -> String {
        let request = ChatCompletionRequest(
            model: "yard-test", messages: [ChatMessage(role: "user", content: prompt)], stream: stream,
            temperature: 0, maxTokens: maxTokens, yardTokenDelayMilliseconds: delayMs
        )
        return String(decoding: try! JSONEncoder().encode(request), as: UTF8.self)
    }

    static func get(_ url: String, timeout: TimeAmount = .seconds(10)) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        return try await send(request, timeout: timeout)
    }

    static func post(_ url: String, body: String, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(30)) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request, timeout: timeout)
    }

    static func send(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> Answer {
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    /// An SSE answer parsed with Core's parser, plus when each message arrived (seconds since the request).
    struct Stream: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var messages: [SSEMessage]
        var arrivals: [Double]
        /// False when the body ended by error or by the client's deadline rather than cleanly.
        var endedCleanly: Bool

        var events: [SSEEvent] { messages.compactMap(\.event) }
        var comments: [String] {
            messages.compactMap { if case .comment(let text) = $0 { return text } else { return nil } }
        }
        var sawDone: Bool { events.last?.data == "[DONE]" }
        /// The chunks, decoded; fails on any event that is neither a chunk nor `[DONE]`.
        func chunks() throws -> [ChatCompletionChunk] {
            try events.filter { $0.data != "[DONE]" }.map { try JSONDecoder().decode(ChatCompletionChunk.self, from: Data($0.data.utf8)) }
        }
        func text() throws -> String { try chunks().compactMap { $0.choices.first?.delta.content }.joined() }
    }

    /// Posts a streaming request and reads until the body ends, `stopAfterEvents` events came, or `timeout` passed.
    static func stream(
        _ url: String, body: String, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(30), stopAfterEvents: Int? = nil
    ) async throws -> Stream {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        let response = try await client.execute(request, timeout: timeout)
        let collected = Collected(Stream(status: Int(response.status.code), headers: response.headers, messages: [], arrivals: [], endedCleanly: false))
        // The client's deadline does not cover a streamed body, so the test's own timeout races the reading.
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var parser = SSEParser()
                do {
                    for try await buffer in response.body {
                        let messages = parser.feed(buffer.readableBytesView)
                        let elapsed = ContinuousClock.now - start
                        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                        let count = collected.add(messages, at: seconds)
                        if let stopAfterEvents, count >= stopAfterEvents { return }
                    }
                    collected.endedCleanly()
                } catch {}
            }
            group.addTask {
                try? await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
            }
            await group.next()
            group.cancelAll()
        }
        return collected.value
    }
}

/// What a stream reader has seen so far, shared with the task that enforces the timeout.
final class Collected: Sendable {
    private let stream: Mutex<TestHTTP.Stream>
    init(_ stream: TestHTTP.Stream) { self.stream = Mutex(stream) }
    var value: TestHTTP.Stream { stream.withLock { $0 } }

    /// Adds messages; returns the number of events seen.
    func add(_ messages: [SSEMessage], at seconds: Double) -> Int {
        stream.withLock {
            $0.messages += messages
            $0.arrivals += Array(repeating: seconds, count: messages.count)
            return $0.events.count
        }
    }

    func endedCleanly() { stream.withLock { $0.endedCleanly = true } }
}
