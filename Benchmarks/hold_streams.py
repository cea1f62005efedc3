#!/usr/bin/env python3
"""Open N concurrent OpenAI-format streams through a proxy, hold them, measure the proxy's RSS.

usage: hold_streams.py URL BODY_FILE AUTH_HEADER N PID [seconds-limit]
Each stream is a raw HTTP/1.1 connection that sends one streaming request and keeps reading.
When every stream has received its first content event (or the time limit for opening passes),
the proxy's VmRSS is read from /proc/PID/status; then every connection is closed (the proxy
cancels its upstream requests), and RSS is read again once the proxy has settled.
The proxy's CPU use is measured over 3 s while every stream is open.
Prints one JSON line: {"n", "open", "failed", "rss_open_kib", "rss_after_kib", "open_seconds", "cpu_percent"}.
Everything is bounded by the time limit (default 120 s).
"""
import asyncio
import json
import os
import resource
import sys
import time
from urllib.parse import urlsplit


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def cpu_ticks(pid):
    """utime + stime of the whole process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
    return 0


async def main():
    url, body_file, auth, n, pid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    limit = float(sys.argv[6]) if len(sys.argv) > 6 else 120.0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    parts = urlsplit(url)
    body = open(body_file, "rb").read()
    request = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
               f"{auth}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    started = time.monotonic()
    deadline = started + limit
    connecting = asyncio.Semaphore(256)  # connects in flight, so the listen backlog never overflows
    writers, opened, failed = [], [0], [0]
    all_open = asyncio.Event()
    stop = asyncio.Event()

    async def stream():
        try:
            async with connecting:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port),
                                                        timeout=max(0.1, deadline - time.monotonic()))
                writers.append(writer)
                writer.write(request)
                await writer.drain()
            seen = b""
            while b'"content":"' not in seen:
                data = await asyncio.wait_for(reader.read(65536), timeout=max(0.1, deadline - time.monotonic()))
                if not data:
                    raise ConnectionError("closed before content")
                seen = (seen + data)[-4096:]
            opened[0] += 1
            if opened[0] + failed[0] == n:
                all_open.set()
            # Keep reading (like a real client) until told to stop.
            while not stop.is_set():
                data = await reader.read(65536)
                if not data:
                    break
        except Exception:
            failed[0] += 1
            if opened[0] + failed[0] == n:
                all_open.set()

    tasks = [asyncio.create_task(stream()) for _ in range(n)]
    try:
        await asyncio.wait_for(all_open.wait(), timeout=max(0.1, deadline - time.monotonic()))
    except asyncio.TimeoutError:
        pass
    open_seconds = time.monotonic() - started
    await asyncio.sleep(1.0)  # the streams keep flowing; let allocations reach a steady state
    # CPU of the proxy while every stream receives one chunk a second (3 s window).
    ticks_before, window_started = cpu_ticks(pid), time.monotonic()
    await asyncio.sleep(3.0)
    cpu_percent = (cpu_ticks(pid) - ticks_before) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - window_started) * 100
    rss_open = rss_kib(pid)
    still_open = opened[0]
    stop.set()
    for writer in writers:
        try:
            writer.transport.abort()
        except Exception:
            pass
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(6.0)  # the proxy frees the streams and returns the heap (trimmed every 5 s)
    print(json.dumps({"n": n, "open": still_open, "failed": failed[0], "rss_open_kib": rss_open,
                      "rss_after_kib": rss_kib(pid), "open_seconds": round(open_seconds, 2),
                      "cpu_percent": round(cpu_percent, 1)}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
