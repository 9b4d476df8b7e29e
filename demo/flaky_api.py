#!/usr/bin/env python3
"""A deliberately flaky local HTTP API for the retrytop demo (stdlib only).

Each request to any path except /mode and /health draws one outcome:

- ``timeout``: sleeps past the client's timeout (``FLAKY_TIMEOUT_SLEEP`` seconds, default 12), then answers
- ``500``: HTTP 500 with a JSON error
- ``429``: HTTP 429 with ``Retry-After`` (seconds)
- ``drop``: closes the socket without any response
- otherwise 200 with a JSON payload

The failure probability comes from the mode:

- calm: ``FLAKY_FAIL_RATE`` (default 0.15)
- storm: ``FLAKY_STORM_FAIL_RATE`` (default 0.9)

A failure picks its kind by the weights in ``FLAKY_WEIGHTS`` (default ``timeout=1,500=3,429=2,drop=1``).

Endpoints:
- ``GET /mode`` shows the mode; ``GET /mode?storm=1`` starts a storm, ``?storm=0`` calms it,
  ``?fail_rate=0.5`` sets the current mode's failure rate.
- ``GET /health`` always answers 200.

Usage: ``python3 flaky_api.py --port 8089`` (``--port 0`` picks a free port and prints it).
The first line on stdout is ``listening on http://127.0.0.1:PORT``.
"""

import argparse
import json
import os
import random
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def _parse_weights(text):
    weights = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        weights[name.strip()] = float(value or 1)
    unknown = set(weights) - {"timeout", "500", "429", "drop"}
    if unknown:
        raise SystemExit(f"flaky_api: unknown failure kinds in FLAKY_WEIGHTS: {sorted(unknown)}")
    return weights


class FlakyState:
    """The mode shared by all handler threads; one lock guards it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.storm = os.environ.get("FLAKY_STORM", "0") == "1"
        self.calm_rate = float(os.environ.get("FLAKY_FAIL_RATE", "0.15"))
        self.storm_rate = float(os.environ.get("FLAKY_STORM_FAIL_RATE", "0.9"))
        self.weights = _parse_weights(os.environ.get("FLAKY_WEIGHTS", "timeout=1,500=3,429=2,drop=1"))
        self.timeout_sleep = float(os.environ.get("FLAKY_TIMEOUT_SLEEP", "12"))
        self.retry_after = int(os.environ.get("FLAKY_RETRY_AFTER", "3"))
        self.counts = {}

    def snapshot(self):
        with self.lock:
            return {
                "storm": self.storm,
                "fail_rate": self.storm_rate if self.storm else self.calm_rate,
                "calm_fail_rate": self.calm_rate,
                "storm_fail_rate": self.storm_rate,
                "counts": dict(self.counts),
            }

    def draw(self):
        with self.lock:
            rate = self.storm_rate if self.storm else self.calm_rate
            if random.random() < rate and self.weights:
                kinds, weights = zip(*self.weights.items())
                outcome = random.choices(kinds, weights=weights)[0]
            else:
                outcome = "ok"
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            return outcome


STATE = FlakyState()


class Handler(BaseHTTPRequestHandler):
    server_version = "FlakyAPI/1.0"
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):  # one short line per request on stderr
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

    def _json(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/health":
            return self._json(200, {"ok": True})
        if url.path == "/mode":
            with STATE.lock:
                if "storm" in query:
                    STATE.storm = query["storm"][0] in ("1", "true", "yes", "on")
                if "fail_rate" in query:
                    rate = min(1.0, max(0.0, float(query["fail_rate"][0])))
                    if STATE.storm:
                        STATE.storm_rate = rate
                    else:
                        STATE.calm_rate = rate
            return self._json(200, STATE.snapshot())

        outcome = STATE.draw()
        if outcome == "timeout":
            time.sleep(STATE.timeout_sleep)
            return self._json(504, {"error": "upstream timeout"})
        if outcome == "500":
            return self._json(500, {"error": "internal server error"})
        if outcome == "429":
            return self._json(429, {"error": "rate limited"}, {"Retry-After": str(STATE.retry_after)})
        if outcome == "drop":
            # Close the socket with no response at all: the client sees a reset / remote disconnect.
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            self.close_connection = True
            self.connection.close()
            return None
        return self._json(200, {"path": url.path, "value": random.randint(1, 1000), "served_at": time.time()})

    do_POST = do_GET


def main():
    parser = argparse.ArgumentParser(description="flaky local HTTP API for the retrytop demo")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("FLAKY_PORT", "0")))
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"listening on http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
