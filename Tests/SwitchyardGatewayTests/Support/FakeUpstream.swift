import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A flaky upstream on a loopback port: a real TCP server that answers each request it receives
/// with the next scripted behaviour (the last one repeats), and records when each request came.
/// It speaks just enough HTTP/1.1 to be an OpenAI-compatible upstream that fails on demand.
final class FakeUpstream: Sendable {
    enum Behavior: Sendable {
        /// Reads the request, then closes (FIN) without a status line.
        case fin
        /// Reads the request, then resets the connection (RST).
        case reset
        /// Reads the request and never answers.
        case silent
        /// A whole answer with `Connection: close`.
        case status(Int, headers: [(String, String)] = [], body: String = "{}")
        /// `200 text/event-stream`, chunked: these frames, then the end.
        case sse([String], headers: [(String, String)] = [], end: StreamEnd = .complete)
    }

    /// How a stream ends: the terminal chunk, or a FIN in the middle of the chunked body.
    enum StreamEnd: Sendable { case complete, fin }

    struct Seen: Sendable {
        var at: ContinuousClock.Instant
        var path: String
        var headers: [String: String]
    }

    private struct State {
        var behaviors: [Behavior]
        var seen: [Seen] = []
    }

    private let state: Mutex<State>
    private let channel: any Channel
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(behaviors: [Behavior], channel: any Channel) {
        self.state = Mutex(State(behaviors: behaviors))
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    var seen: [Seen] { state.withLock { $0.seen } }

    fileprivate func next(path: String, headers: [String: String]) -> Behavior {
        state.withLock { state in
            state.seen.append(Seen(at: .now, path: path, headers: headers))
            return state.behaviors.count > 1 ? state.behaviors.removeFirst() : state.behaviors[0]
        }
    }

    /// Starts it, runs `body`, and closes it when `body` returns or throws.
    static func with<T: Sendable>(_ behaviors: [Behavior], _ body: (FakeUpstream) async throws -> T) async throws -> T {
        precondition(!behaviors.isEmpty)
        let box = UpstreamBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FakeUpstreamHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let upstream = FakeUpstream(behaviors: behaviors, channel: channel)
        box.set(upstream)
        do {
            let result = try await body(upstream)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

/// Lets the child handlers reach the upstream, which exists only once the server channel is bound.
final class UpstreamBox: Sendable {
    private let value = Mutex<FakeUpstream?>(nil)
    func set(_ upstream: FakeUpstream) { value.withLock { $0 = upstream } }
    var upstream: FakeUpstream? { value.withLock { $0 } }
}

/// One connection: collects the request (head and Content-Length body), then acts out a behaviour.
private final class FakeUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let box: UpstreamBox
    var received: [UInt8] = []
    var answered = false

    init(box: UpstreamBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard !answered, let head = request() else { return }
        answered = true
        received.removeAll()
        guard let behavior = box.upstream?.next(path: head.path, headers: head.headers) else { return }
        act(behavior, context: context)
    }

    /// The request once it is all there: its path and headers (lower-cased names).
    func request() -> (path: String, headers: [String: String])? {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard received.count >= 4, let headEnd = (0...(received.count - 4)).first(where: { received[$0..<($0 + 4)].elementsEqual(end) }) else { return nil }
        let lines = String(decoding: received[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard received.count >= headEnd + 4 + length else { return nil }
        let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        return (path, headers)
    }

    func act(_ behavior: FakeUpstream.Behavior, context: ChannelHandlerContext) {
        switch behavior {
        case .fin:
            context.close(promise: nil)
        case .reset:
            reset(context)
        case .silent:
            break
        case .status(let code, let headers, let body):
            var head = "HTTP/1.1 \(code) Fake\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            write(head + "\r\n" + body, context)
            context.flush()
            context.close(promise: nil)
        case .sse(let frames, let headers, let end):
            var head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            write(head + "\r\n", context)
            for frame in frames {
                write(String(frame.utf8.count, radix: 16) + "\r\n" + frame + "\r\n", context)
            }
            switch end {
            case .complete:
                write("0\r\n\r\n", context)
                context.flush()
                context.close(promise: nil)
            case .fin:
                context.flush()
                context.close(promise: nil)
            }
        }
        context.flush()
    }

    func write(_ text: String, _ context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }

    func reset(_ context: ChannelHandlerContext) {
        // SO_LINGER with a zero timeout turns the close into a reset (RST).
        let channel = context.channel
        guard let provider = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
