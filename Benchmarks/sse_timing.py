#!/usr/bin/env python3
"""Time to first content of OpenAI- or Anthropic-format SSE streams, alternating targets (used by streaming.sh).

usage: sse_timing.py REPS TARGET=URL|BODY_FILE|AUTH_HEADER ...
Prints one line per request: target, time to first byte, time to first content delta
(the first non-empty `"content":"` or Anthropic `"text":"`), total time, in seconds. Raw HTTP/1.1 on a fresh
connection per request (as curl does), Connection: close; each request bounded to 60 s.
"""
import re
import socket
import sys
import time
from urllib.parse import urlsplit

CONTENT = re.compile(rb'"(?:content|text)":"[^"]')  # OpenAI delta content or Anthropic text_delta


def one(url, body, auth):
    parts = urlsplit(url)
    head = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\nanthropic-version: 2023-06-01\r\n"
            f"{auth}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    start = time.perf_counter()
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(head + body)
    first = content = None
    tail = b""
    deadline = start + 60
    while time.perf_counter() < deadline:
        data = sock.recv(65536)
        now = time.perf_counter()
        if not data:
            break
        if first is None:
            first = now
        if content is None:
            window = tail + data
            if CONTENT.search(window):
                content = now
            tail = window[-64:]
    total = time.perf_counter() - start
    sock.close()
    return (first or total) - start, (content or total) - start, total


def main():
    reps = int(sys.argv[1])
    targets = []
    for spec in sys.argv[2:]:
        name, rest = spec.split("=", 1)
        url, body_file, auth = rest.split("|", 2)
        targets.append((name, url, open(body_file, "rb").read(), auth))
    for _ in range(reps):
        for name, url, body, auth in targets:
            ttfb, ttfc, total = one(url, body, auth)
            print(f"{name}\t{ttfb:.6f}\t{ttfc:.6f}\t{total:.6f}", flush=True)


if __name__ == "__main__":
    main()
