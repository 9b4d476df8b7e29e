#!/usr/bin/env python3
"""The cheapest possible event subscriber, the bench's yardstick for "the machine can deliver this".

PSUBSCRIBEs to the event pattern and reads the socket into one buffer, parsing and keeping nothing, so
its only cost is the kernel's receive path. Issue 17 asks that Redis never cut retrytop's subscriber
"while a raw reader on the same machine keeps up": `retrytop bench --raw-reader` runs this beside every
rung and reports both (Redis cuts whichever subscriber's output buffer passes its pub/sub limit).

Stops when nothing has arrived for --idle seconds after the first bytes (or after --max-seconds, or on
SIGTERM). Prints one JSON object on stdout: bytes read, whether Redis closed the connection, CPU seconds.
Standard library only; redis:// and rediss:// URLs with a password, a db and ssl_* query options.
"""
import argparse
import json
import resource
import signal
import socket
import ssl
import sys
import time
from urllib.parse import parse_qs, unquote, urlparse


def command(*parts):
    out = b"*%d\r\n" % len(parts)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        out += b"$%d\r\n%s\r\n" % (len(data), data)
    return out


def connect(url):
    parsed = urlparse(url)
    sock = socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=5)
    if parsed.scheme == "rediss":
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        context = ssl.create_default_context(cafile=query.get("ssl_ca_certs"))
        if query.get("ssl_cert_reqs", "").lower() in ("none", "cert_none"):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if query.get("ssl_certfile"):
            context.load_cert_chain(query["ssl_certfile"], query.get("ssl_keyfile"))
        sock = context.wrap_socket(sock, server_hostname=parsed.hostname)
    if parsed.password is not None:
        auth = [unquote(parsed.username)] if parsed.username else []
        sock.sendall(command("AUTH", *auth, unquote(parsed.password)))
        reply = sock.recv(1024)
        if not reply.startswith(b"+OK"):
            raise RuntimeError("AUTH failed: %r" % reply[:80])
    return sock


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", required=True)
    parser.add_argument("--pattern", required=True)
    parser.add_argument("--idle", type=float, default=3.0, help="stop this long after the last bytes")
    parser.add_argument("--max-seconds", type=float, default=600.0)
    args = parser.parse_args()

    result = {"bytes": 0, "closed": False, "error": None}
    started = time.monotonic()
    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    try:
        sock = connect(args.broker)
        sock.sendall(command("PSUBSCRIBE", args.pattern))
        # The confirmation ends in the subscription count (":1"); what follows it is the first event.
        confirmation = b""
        while b":1\r\n" not in confirmation:
            part = sock.recv(4096)
            if not part:
                raise RuntimeError("closed before the subscription was confirmed")
            confirmation += part
        result["bytes"] = len(confirmation) - confirmation.index(b":1\r\n") - 4
        buffer = bytearray(256 * 1024)
        view = memoryview(buffer)
        sock.settimeout(0.5)
        last = time.monotonic() if result["bytes"] else None
        while not stopping and time.monotonic() - started < args.max_seconds:
            try:
                count = sock.recv_into(view)
            except socket.timeout:
                if last is not None and time.monotonic() - last > args.idle:
                    break
                continue
            if count == 0:
                result["closed"] = True
                break
            result["bytes"] += count
            last = time.monotonic()
    except (OSError, RuntimeError) as error:
        result["closed"] = True
        result["error"] = str(error)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
