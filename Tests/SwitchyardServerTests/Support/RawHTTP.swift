import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 over a plain loopback socket, for requests an HTTP client library would tidy up first (`//v1/x`,
/// `/v1/%2e/x`) and for connections left half-open on purpose.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A connected TCP socket to 127.0.0.1:`port` with a receive timeout; the caller closes it.
    static func connect(port: Int, timeout: Duration = .seconds(10)) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw Failure(description: "connect to \(port): errno \(errno)") }
        let (seconds, attoseconds) = timeout.components
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func write(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Sends `method target` as written, with `headers` and `body`, and returns the status code and whatever of the
    /// answer arrived until the server closed, `limit` bytes were read, or the head and a complete JSON body were in.
    static func request(port: Int, _ method: String, _ target: String, headers: [String: String] = [:], body: Data? = nil) throws -> (status: Int, text: String) {
        let fd = try connect(port: port)
        defer { close(fd) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        try write(fd, head + "\r\n" + (body.map { String(decoding: $0, as: UTF8.self) } ?? ""))
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 1 << 20 {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received.append(contentsOf: buffer[0..<n])
            // An event stream never ends: its head is enough.
            if String(decoding: received, as: UTF8.self).contains("text/event-stream") { break }
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let line = text.split(separator: "\r\n").first, line.hasPrefix("HTTP/1.1 "),
              let status = Int(line.dropFirst(9).prefix(3)) else { throw Failure(description: "no status line in: \(text.prefix(200))") }
        return (status, text)
    }
}
