#!/usr/bin/env python3
"""Sends waves of demo tasks until killed: steady traffic, then a retry storm, then calm.

Each cycle:
1. steady: a mix of every demo task at ``--rate`` tasks/s for ``--steady`` seconds;
2. storm: the flaky API is switched to storm mode (``/mode?storm=1``), a burst of ``--burst``
   ``demo.fetch_api_data`` calls is sent, and the mix continues (weighted to fetches) for ``--storm`` s;
3. calm: the API is switched back (``/mode?storm=0``) and traffic continues for ``--calm`` seconds.

Environment: ``RETRYTOP_BROKER`` (see demo_tasks.py) and ``RETRYTOP_API_URL`` (base URL of flaky_api.py,
e.g. ``http://127.0.0.1:8089``). ``--cycles N`` stops after N cycles (0 = forever).
"""

import argparse
import json
import os
import random
import signal
import sys
import time
import urllib.request

import demo_tasks as t

STEADY_MIX = [
    (t.add, lambda: (random.randint(1, 99), random.randint(1, 99)), 30),
    (t.fetch_api_data, None, 20),
    (t.unreliable, lambda: (random.randint(1, 999),), 15),
    (t.quick_retry, lambda: (random.choice([0, 1, 2, 4]),), 10),
    (t.manual_retry, lambda: (random.randint(1, 999), random.randint(1, 4)), 8),
    (t.on_other_queue, lambda: (random.randint(1, 999),), 6),
    (t.permanent_failure, lambda: (random.randint(1, 999),), 4),
    (t.slow_fixed_retry, lambda: (random.choice([1, 2, 5]),), 3),
    (t.long_task, lambda: (random.choice([3, 8, 15]),), 2),
]


def log(message):
    print(f"{time.strftime('%H:%M:%S')} producer: {message}", flush=True)


class Producer:
    def __init__(self, api_base, rate):
        self.api_base = api_base.rstrip("/")
        self.rate = rate
        self.sent = 0

    def data_url(self):
        return f"{self.api_base}/data/{random.randint(1, 50)}"

    def set_storm(self, storm):
        url = f"{self.api_base}/mode?storm={1 if storm else 0}"
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                log(f"api mode: {json.loads(response.read().decode())}")
        except OSError as exc:
            log(f"could not switch api mode ({url}): {exc}")

    def send_one(self, fetch_weight_boost=0):
        weights = [w + (fetch_weight_boost if task is t.fetch_api_data else 0) for task, _, w in STEADY_MIX]
        task, make_args, _ = random.choices(STEADY_MIX, weights=weights)[0]
        args = (self.data_url(),) if make_args is None else make_args()
        task.apply_async(args=args)
        self.sent += 1

    def run_for(self, seconds, fetch_weight_boost=0):
        deadline = time.monotonic() + seconds
        interval = 1.0 / self.rate if self.rate > 0 else seconds
        while time.monotonic() < deadline:
            self.send_one(fetch_weight_boost)
            time.sleep(interval)

    def burst(self, count):
        for _ in range(count):
            t.fetch_api_data.apply_async(args=(self.data_url(),))
        self.sent += count


def main():
    parser = argparse.ArgumentParser(description="retrytop demo traffic: steady, storm, calm")
    parser.add_argument("--rate", type=float, default=4.0, help="tasks per second outside bursts")
    parser.add_argument("--steady", type=float, default=30.0, help="seconds of steady traffic per cycle")
    parser.add_argument("--storm", type=float, default=40.0, help="seconds of storm per cycle")
    parser.add_argument("--calm", type=float, default=40.0, help="seconds of calm per cycle")
    parser.add_argument("--burst", type=int, default=60, help="fetch_api_data calls sent when a storm starts")
    parser.add_argument("--cycles", type=int, default=0, help="stop after N cycles (0 = run until killed)")
    parser.add_argument("--api", default=os.environ.get("RETRYTOP_API_URL", "http://127.0.0.1:8089"),
                        help="base URL of flaky_api.py")
    args = parser.parse_args()

    producer = Producer(args.api, args.rate)

    def stop(signum, _frame):
        producer.set_storm(False)
        log(f"stopping on signal {signum} after {producer.sent} tasks")
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    log(f"broker {t.app.conf.broker_url}, api {args.api}")
    cycle = 0
    while args.cycles == 0 or cycle < args.cycles:
        cycle += 1
        log(f"cycle {cycle}: steady for {args.steady:g}s")
        producer.set_storm(False)
        producer.run_for(args.steady)
        log(f"cycle {cycle}: storm for {args.storm:g}s (burst of {args.burst})")
        producer.set_storm(True)
        producer.burst(args.burst)
        producer.run_for(args.storm, fetch_weight_boost=60)
        log(f"cycle {cycle}: calm for {args.calm:g}s")
        producer.set_storm(False)
        producer.run_for(args.calm)
        log(f"cycle {cycle} done, {producer.sent} tasks sent so far")


if __name__ == "__main__":
    main()
