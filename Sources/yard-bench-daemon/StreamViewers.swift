import Foundation
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Event-stream viewers as plain sockets: each sends its GET and then only keeps its connection open (the kernel
/// buffers what arrives), as a browser tab left open on a release would.
struct StreamViewers {
    let sockets: [Int32]

    static func open(_ count: Int, port: Int, path: String, token: String) throws -> StreamViewers {
        var sockets: [Int32] = []
        OpenFileLimit.raiseToHardLimit()
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw BenchError("socket: errno \(errno) (raise the open-file limit with ulimit -n)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { Glibc.close(fd); throw BenchError("connect: errno \(errno)") }
            let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n\r\n"
            _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            sockets.append(fd)
        }
        return StreamViewers(sockets: sockets)
    }

    /// Viewers whose connection answered 200 and is still open: reads what is buffered without waiting.
    func stillOpen() -> Int {
        var open = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        for fd in sockets {
            var text = ""
            var closed = false
            while true {
                let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n > 0 { text += String(decoding: buffer[0..<n], as: UTF8.self); continue }
                closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
                break
            }
            if !closed, text.hasPrefix("HTTP/1.1 200") { open += 1 }
        }
        return open
    }

    func close() { for fd in sockets { Glibc.close(fd) } }
}
