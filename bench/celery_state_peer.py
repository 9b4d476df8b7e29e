#!/usr/bin/env python3
"""Celery's own monitor path, measured: EventReceiver + State, as `celery events` and Flower use them.

Subscribes to the broker's events exactly as `celery events` does (app.events.Receiver with a '*'
handler feeding app.events.State), counts every event handed to State, and stops when no event has
arrived for --idle seconds after the first one (or after --max-seconds, or on SIGTERM). Prints one JSON
object on stdout: events processed, tasks tracked, whether the connection failed (Redis drops a slow
pub/sub subscriber), CPU seconds and peak RSS. Run with the project venv: .venv/bin/python.
"""
import argparse
import json
import resource
import signal
import sys
import time

from celery import Celery


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", required=True)
    parser.add_argument("--idle", type=float, default=3.0, help="stop this long after the last event")
    parser.add_argument("--max-seconds", type=float, default=600.0)
    args = parser.parse_args()

    app = Celery("retrytop-bench-peer", broker=args.broker)
    state = app.events.State()
    counts = {"events": 0, "first": None, "last": None, "error": None, "disconnected": False}
    started = time.monotonic()

    def on_event(event):
        counts["events"] += 1
        now = time.monotonic()
        if counts["first"] is None:
            counts["first"] = now
        counts["last"] = now
        state.event(event)

    with app.connection() as connection:
        receiver = app.events.Receiver(connection, handlers={"*": on_event})

        def on_iteration():
            now = time.monotonic()
            if now - started > args.max_seconds:
                receiver.should_stop = True
            elif counts["last"] is not None and now - counts["last"] > args.idle:
                receiver.should_stop = True

        def on_term(signum, frame):
            receiver.should_stop = True

        receiver.on_iteration = on_iteration
        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        print("ready", file=sys.stderr, flush=True)
        try:
            for _ in receiver.consume(limit=None, timeout=None, safety_interval=0.25):
                pass
        except Exception as error:  # noqa: BLE001 - any failure of the subscription is the result
            counts["error"] = f"{type(error).__name__}: {error}"
            counts["disconnected"] = True

    usage = resource.getrusage(resource.RUSAGE_SELF)
    busy = (counts["last"] - counts["first"]) if counts["first"] is not None else 0.0
    print(json.dumps({
        "events": counts["events"],
        "tasks": len(state.tasks),
        "workers": len(state.workers),
        "disconnected": counts["disconnected"],
        "error": counts["error"],
        "busy_seconds": busy,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,
    }), flush=True)


if __name__ == "__main__":
    main()
