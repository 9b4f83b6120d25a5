#!/usr/bin/env python3
"""Benchmark for yard-gateway: how many idle SSE streams one instance holds (with heartbeats), its
resident memory while it holds them, and non-stream requests per second.

Loopback only; every loop is bounded in count and time and the gateway it starts is stopped at the end.
Usage: python3 bench/gateway/bench.py [--binary .build/release/yard-gateway] [--streams 5000] [--seconds 10]
"""
import argparse, asyncio, json, os, re, resource, signal, subprocess, sys, time

BODY = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "hi"}], "stream": True, "max_tokens": 1}).encode()
SMALL = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}).encode()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def open_stream(port, delay, pings, ready):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                 + f"X-Yard-Token-Delay: {delay}\r\nContent-Length: {len(BODY)}\r\n\r\n".encode() + BODY)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n")[0]:
        raise RuntimeError(head[:80])
    ready.append(1)
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            if b": ping" in line:
                pings.append(1)
    except (asyncio.CancelledError, ConnectionError):
        pass
    finally:
        writer.close()


async def rps(port, seconds, connections):
    done = [0]
    errors = [0]
    deadline = time.monotonic() + seconds

    async def worker():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                   b"X-Yard-Token-Delay: 0ms\r\n" + f"Content-Length: {len(SMALL)}\r\n\r\n".encode() + SMALL)
        while time.monotonic() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            await reader.readexactly(length)
            if b" 200 " in head.split(b"\r\n")[0]:
                done[0] += 1
            else:
                errors[0] += 1
        writer.close()

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done[0] / (time.monotonic() - start), errors[0]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/yard-gateway")
    parser.add_argument("--streams", type=int, default=5000)
    parser.add_argument("--ping-interval", default="5s")
    parser.add_argument("--hold", type=float, default=12.0, help="seconds to hold the streams open")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of non-stream load")
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.streams + 500
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, need * 2), hard))
    gateway = subprocess.Popen([args.binary, "--port", "0", "--ping-interval", args.ping_interval, "--drain-timeout", "1s"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in gateway.stdout:
            m = re.match(r"listening on .*:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        idle_rss = rss_kib(gateway.pid)
        print(f"gateway pid {gateway.pid} on port {port}; idle RSS {idle_rss / 1024:.1f} MiB; fd limit {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}")

        ready, pings = [], []
        started = time.monotonic()
        tasks = []
        for i in range(args.streams):
            tasks.append(asyncio.create_task(open_stream(port, "10m", pings, ready)))
            if i % 200 == 199:
                await asyncio.sleep(0.05)
        while len(ready) < args.streams and time.monotonic() - started < 60:
            await asyncio.sleep(0.1)
        opened = time.monotonic() - started
        failed = sum(1 for t in tasks if t.done() and t.exception() is not None)
        print(f"streams open: {len(ready)} of {args.streams} in {opened:.1f}s ({failed} failed)")
        await asyncio.sleep(args.hold)
        print(f"after holding {args.hold:.0f}s: {len(pings)} pings received "
              f"({len(pings) / max(1, len(ready)):.1f} per stream); gateway RSS {rss_kib(gateway.pid) / 1024:.1f} MiB "
              f"({(rss_kib(gateway.pid) - idle_rss) / max(1, len(ready)):.1f} KiB per stream)")
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.sleep(1)

        rate, errors = await rps(port, args.seconds, args.connections)
        print(f"non-stream: {rate:.0f} requests/s over {args.seconds:.0f}s with {args.connections} keep-alive connections ({errors} errors); "
              f"RSS {rss_kib(gateway.pid) / 1024:.1f} MiB")
    finally:
        gateway.send_signal(signal.SIGTERM)
        try:
            gateway.wait(timeout=10)
        except subprocess.TimeoutExpired:
            gateway.kill()


if __name__ == "__main__":
    asyncio.run(main())
