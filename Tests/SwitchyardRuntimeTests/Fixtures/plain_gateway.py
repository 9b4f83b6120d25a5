#!/usr/bin/env python3
"""A gateway Switchyard did not write: an OpenAI-style completions server on the standard library only,
exposing the usual Prometheus names, `http_requests_total{route,status}` and the histogram
`http_request_duration_seconds{route}`, as most client-library middlewares do. The release tests
start it as a topology's instance command.

    plain_gateway.py --port 9100 --version 1.0.0 [--zone z --slot blue --instance 0]

Faults, from the environment: PLAIN_ERROR_RATE=0.2 answers that share of completions 500 (every
fifth, deterministically); PLAIN_CRASH_AFTER=4 exits the process 4 s after start, like a crash.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
lock = threading.Lock()
requests = {}    # (route, status) -> count
durations = {}   # route -> [bucket counts..., count, sum]
completions = 0


def observe(route, status, seconds):
    with lock:
        requests[(route, str(status))] = requests.get((route, str(status)), 0) + 1
        entry = durations.setdefault(route, [0] * len(BOUNDS) + [0, 0.0])
        for i, bound in enumerate(BOUNDS):
            if seconds <= bound:
                entry[i] += 1
        entry[len(BOUNDS)] += 1
        entry[len(BOUNDS) + 1] += seconds


def exposition():
    lines = ["# HELP http_requests_total Requests served.", "# TYPE http_requests_total counter"]
    with lock:
        for (route, status), count in sorted(requests.items()):
            lines.append(f'http_requests_total{{route="{route}",status="{status}"}} {count}')
        lines += ["# HELP http_request_duration_seconds Request duration.", "# TYPE http_request_duration_seconds histogram"]
        for route, entry in sorted(durations.items()):
            for i, bound in enumerate(BOUNDS):
                lines.append(f'http_request_duration_seconds_bucket{{route="{route}",le="{bound}"}} {entry[i]}')
            lines.append(f'http_request_duration_seconds_bucket{{route="{route}",le="+Inf"}} {entry[len(BOUNDS)]}')
            lines.append(f'http_request_duration_seconds_count{{route="{route}"}} {entry[len(BOUNDS)]}')
            lines.append(f'http_request_duration_seconds_sum{{route="{route}"}} {entry[len(BOUNDS) + 1]}')
    lines.append("# TYPE process_start_time_seconds gauge")
    lines.append(f"process_start_time_seconds {START}")
    return "\n".join(lines) + "\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Yard-Slot", ARGS.slot)
        self.send_header("X-Yard-Version", ARGS.version)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path in ("/readyz", "/healthz"):
            self.send(200, "ok\n")
        elif self.path == "/metrics":
            self.send(200, exposition(), "text/plain; version=0.0.4")
        else:
            self.send(404, "not found\n")

    def do_POST(self):
        global completions
        start = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        route = self.path
        if route != "/v1/chat/completions":
            self.send(404, "not found\n")
            observe(route, 404, time.monotonic() - start)
            return
        with lock:
            completions += 1
            number = completions
        rate = float(os.environ.get("PLAIN_ERROR_RATE", "0"))
        if rate > 0 and number % max(1, round(1 / rate)) == 0:
            self.send(500, '{"error":{"message":"injected"}}', "application/json")
            observe(route, 500, time.monotonic() - start)
            return
        tokens = min(int(body.get("max_tokens") or 4), 16)
        created = int(time.time())
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("X-Yard-Slot", ARGS.slot)
            self.send_header("X-Yard-Version", ARGS.version)
            self.end_headers()

            def chunk(text):
                data = text.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            for i in range(tokens):
                event = {"id": "plain", "object": "chat.completion.chunk", "created": created, "model": "plain",
                         "choices": [{"index": 0, "delta": {"content": f"t{i} "}, "finish_reason": None}]}
                chunk("data: " + json.dumps(event) + "\n\n")
                time.sleep(0.01)
            chunk("data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        else:
            time.sleep(0.01 * tokens)
            answer = {"id": "plain", "object": "chat.completion", "created": created, "model": "plain",
                      "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok " * tokens},
                                   "finish_reason": "stop"}]}
            self.send(200, json.dumps(answer), "application/json")
        observe(route, 200, time.monotonic() - start)


def crash_after(seconds):
    time.sleep(seconds)
    os._exit(3)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--version", default="0")
    parser.add_argument("--zone", default="")
    parser.add_argument("--slot", default="")
    parser.add_argument("--instance", default="")
    ARGS = parser.parse_args()
    START = time.time()
    if os.environ.get("PLAIN_CRASH_AFTER"):
        threading.Thread(target=crash_after, args=(float(os.environ["PLAIN_CRASH_AFTER"]),), daemon=True).start()
    # The test ports lie in the kernel's ephemeral range: a client connection of any process may hold
    # one for a moment. Retry the bind for a few seconds rather than die.
    for attempt in range(60):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
            break
        except OSError as error:
            if error.errno != 98 or attempt == 59:
                raise
            time.sleep(0.1)
    server.daemon_threads = True
    sys.stdout.write(f"plain gateway {ARGS.version} on {ARGS.port}\n")
    sys.stdout.flush()
    server.serve_forever()
