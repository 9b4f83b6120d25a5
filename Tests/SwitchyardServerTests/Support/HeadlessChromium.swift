import Foundation
import Synchronization
import SwitchyardTesting
#if canImport(Glibc)
import Glibc
#endif

/// A real headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: the browser reads
/// commands on its fd 3 and writes answers and events on its fd 4, each one JSON object ended by a NUL byte), so a test
/// can load a page, wait for what the page's own script does to the DOM, and take a screenshot, with no WebSocket and
/// no port. Found as `chromium` on the PATH (or `$YARD_CHROMIUM`); without it the browser suites are skipped locally
/// and fail under CI (`CI` set), like the OpenAI SDK suite.
final class HeadlessChromium: Sendable {
    static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["YARD_CHROMIUM"] { return FileManager.default.isExecutableFile(atPath: path) ? path : nil }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") { return "\(folder)/\(name)" }
        }
        return nil
    }

    /// Whether the browser suites run: Chromium is there, or this is CI (where its absence is a failure).
    static var required: Bool { executable != nil || ProcessInfo.processInfo.environment["CI"] != nil }
    static let skipMessage = "skipped: no chromium on the PATH (apt-get install chromium; .ci/run installs it)"

    struct ProtocolError: Error, CustomStringConvertible { var description: String }

    private struct State {
        var nextID = 1
        var waiting: [Int: CheckedContinuation<Data, any Error>] = [:]
        var closed = false
    }

    let pid: pid_t
    let log: URL
    private let commands: Int32
    private let answers: Int32
    private let state = Mutex(State())

    /// Starts the browser with its own profile in `folder`; its output goes to `folder/chromium.log`.
    init(folder: URL) throws {
        guard let executable = Self.executable else { throw TestFailure("no chromium on the PATH; `apt-get install chromium` (.ci/run installs it)") }
        log = folder.appendingPathComponent("chromium.log")
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw TestFailure("pipe: \(errno)") }
        for fd in toBrowser + fromBrowser { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // Keep the ends the child gets clear of 3 and 4, so that dup2 always copies (and so clears close-on-exec).
        let childRead = fcntl(toBrowser[0], F_DUPFD_CLOEXEC, 10), childWrite = fcntl(fromBrowser[1], F_DUPFD_CLOEXEC, 10)
        close(toBrowser[0]); close(fromBrowser[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        let arguments = [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                         "--remote-debugging-pipe", "--window-size=1280,900", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--disable-background-networking", "about:blank"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        close(childRead); close(childWrite)
        guard spawned == 0 else { close(toBrowser[1]); close(fromBrowser[0]); throw TestFailure("cannot start \(executable): \(spawned)") }
        pid = child
        commands = toBrowser[1]
        answers = fromBrowser[0]
        let reader = Thread { [self] in self.readAnswers() }
        reader.start()
    }

    /// Runs `body` with a browser, and always stops it.
    static func with<T>(folder: URL, _ body: (HeadlessChromium) async throws -> T) async throws -> T {
        let browser = try HeadlessChromium(folder: folder)
        do {
            let result = try await body(browser)
            await browser.stop()
            return result
        } catch {
            await browser.stop()
            throw error
        }
    }

    /// Sends one command (to a page's session when given) and returns its `result`, or throws its `error`.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: Duration = .seconds(30)) async throws -> [String: Any] {
        var message: [String: Any] = ["method": method, "params": params]
        if let session { message["sessionId"] = session }
        let id = state.withLock { state -> Int in defer { state.nextID += 1 }; return state.nextID }
        message["id"] = id
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        let expiry = Task { [self] in
            try await Task.sleep(for: timeout)
            fail(id, ProtocolError(description: "\(method): no answer within \(timeout)"))
        }
        defer { expiry.cancel() }
        let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            let closed = state.withLock { state -> Bool in
                if !state.closed { state.waiting[id] = continuation }
                return state.closed
            }
            if closed { continuation.resume(throwing: ProtocolError(description: "\(method): the browser is gone (see \(log.path))")); return }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
                guard written > 0 else { fail(id, ProtocolError(description: "\(method): cannot write to the browser (\(errno))")); return }
                offset += written
            }
        }
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] else { throw ProtocolError(description: "\(method): not an object") }
        if let error = object["error"] as? [String: Any] { throw ProtocolError(description: "\(method): \(error["message"] ?? error)") }
        return object["result"] as? [String: Any] ?? [:]
    }

    private func fail(_ id: Int, _ error: any Error) {
        state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: error)
    }

    /// The reader thread: splits what the browser writes at NUL bytes and hands each answer to whoever waits for its
    /// id; events (no id) are dropped. At the end of the pipe every waiter fails.
    private func readAnswers() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(answers, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            pending += buffer[0..<count]
            while let end = pending.firstIndex(of: 0) {
                let data = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let id = object["id"] as? Int else { continue }
                state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: data)
            }
        }
        let waiting = state.withLock { state -> [CheckedContinuation<Data, any Error>] in
            state.closed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(throwing: ProtocolError(description: "the browser closed its pipe (see \(log.path))")) }
    }

    /// Asks the browser to close, then makes sure it is gone and reaped.
    func stop() async {
        _ = try? await send("Browser.close", timeout: .seconds(5))
        for _ in 0..<50 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        close(commands)
        close(answers)
    }

    // MARK: pages

    /// A new tab of 1280 x 900 on `url`, once its document has loaded.
    func open(_ url: String) async throws -> Page {
        let target = try await send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw ProtocolError(description: "no targetId in \(target)") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw ProtocolError(description: "no sessionId in \(attached)") }
        let page = Page(browser: self, session: session)
        try await send("Emulation.setDeviceMetricsOverride", ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false], session: session)
        try await page.navigate(url)
        return page
    }

    struct Page: Sendable {
        let browser: HeadlessChromium
        let session: String

        /// Loads `url` and waits until its document is complete.
        func navigate(_ url: String) async throws {
            let answer = try await browser.send("Page.navigate", ["url": url], session: session)
            if let error = answer["errorText"] as? String { throw ProtocolError(description: "navigating to \(url): \(error)") }
            try await wait("the page \(url) to load", timeout: .seconds(20)) { try await evaluate("document.readyState") as? String == "complete" }
        }

        /// The value of a JavaScript expression in the page.
        func evaluate(_ expression: String) async throws -> Any? {
            let answer = try await browser.send("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
            if let exception = answer["exceptionDetails"] as? [String: Any] { throw ProtocolError(description: "\(expression): \(exception["text"] ?? exception)") }
            return (answer["result"] as? [String: Any])?["value"]
        }

        func text(_ expression: String) async throws -> String { try await evaluate(expression) as? String ?? "" }

        /// The page's whole DOM as it is now, as `--dump-dom` prints it.
        func dom() async throws -> String { try await text("document.documentElement.outerHTML") }

        /// Polls `condition` every 200 ms until it holds; throws, naming `what`, after `timeout`.
        func wait(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
            let clock = ContinuousClock(), deadline = clock.now + timeout
            while clock.now < deadline {
                if try await condition() { return }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw ProtocolError(description: "timed out after \(timeout) waiting for \(what)")
        }

        /// A PNG of the viewport (1280 x 900) written to `path`.
        func screenshot(_ path: URL) async throws {
            let answer = try await browser.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": false], session: session)
            guard let base64 = answer["data"] as? String, let data = Data(base64Encoded: base64) else { throw ProtocolError(description: "no screenshot data") }
            try data.write(to: path)
        }
    }
}
