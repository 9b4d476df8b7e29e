"""Celery app for the retrytop demo and integration tests, modelled on Celery's retry guide.

Configuration comes from the environment:

- ``RETRYTOP_BROKER``: broker URL (default ``redis://127.0.0.1:6379/0``)
- ``RETRYTOP_MASTER_NAME``: kombu's ``master_name`` transport option, for ``sentinel://`` brokers (and for a
  ``sentinel://`` result backend, Celery's ``result_backend_transport_options``)
- ``RETRYTOP_RESULT_BACKEND``: optional result backend URL
- ``RETRYTOP_RESULT_EXTENDED=1``: store name/args/kwargs in the result backend (``result_extended``)
- ``RETRYTOP_API_URL``: base URL of the flaky API (flaky_api.py); ``demo.fetch_api_data`` defaults to
  ``<base>/data``
- ``RETRYTOP_API_TIMEOUT``: client timeout in seconds for ``demo.fetch_api_data`` (default 5)
- ``RETRYTOP_SIDE_EFFECT_DIR``: where ``demo.echo`` records its arguments as ``<task_id>.json``

Only the standard library and Celery are used.
"""

import json
import os
import random
import socket
import time
import urllib.error
import urllib.request

from celery import Celery

app = Celery("demo")
app.conf.update(
    broker_url=os.environ.get("RETRYTOP_BROKER", "redis://127.0.0.1:6379/0"),
    broker_connection_retry_on_startup=True,
    task_send_sent_event=True,
    worker_send_task_events=True,
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    enable_utc=True,
)
if os.environ.get("RETRYTOP_MASTER_NAME"):
    # sentinel:// brokers name the master through kombu's transport option (short timeouts: tests fail over).
    app.conf.broker_transport_options = {"master_name": os.environ["RETRYTOP_MASTER_NAME"]}
if os.environ.get("RETRYTOP_RESULT_BACKEND"):
    app.conf.result_backend = os.environ["RETRYTOP_RESULT_BACKEND"]
    if app.conf.result_backend.startswith("sentinel://") and os.environ.get("RETRYTOP_MASTER_NAME"):
        # Celery's SentinelBackend names the master through its own transport options.
        app.conf.result_backend_transport_options = {"master_name": os.environ["RETRYTOP_MASTER_NAME"]}
if os.environ.get("RETRYTOP_RESULT_EXTENDED") == "1":
    app.conf.result_extended = True


# --- exceptions raised by the API client --------------------------------------------------------
# One positional message each, so Celery's JSON exception serialisation round-trips them.

class ApiConnectionError(ConnectionError):
    """The API dropped or refused the connection."""


class ApiTimeoutError(TimeoutError):
    """The API did not answer within the client timeout."""


class ApiHTTPError(Exception):
    """The API answered with an HTTP error status (500, 429, 504, ...)."""


class FlakyError(Exception):
    """A simulated transient failure."""


class BackoffError(Exception):
    """The failure ``demo.backoff_always_fails`` raises on every attempt."""


API_ERRORS = (ApiConnectionError, ApiTimeoutError, ApiHTTPError)


def _api_url():
    return os.environ.get("RETRYTOP_API_URL", "http://127.0.0.1:8089").rstrip("/") + "/data"


def _api_timeout():
    return float(os.environ.get("RETRYTOP_API_TIMEOUT", "5"))


# --- tasks ----------------------------------------------------------------------------------------

@app.task(
    name="demo.fetch_api_data",
    autoretry_for=API_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def fetch_api_data(url=None):
    """Fetches JSON from the flaky API; transport and HTTP errors are retried with exponential backoff."""
    url = url or _api_url()
    try:
        with urllib.request.urlopen(url, timeout=_api_timeout()) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as exc:
        detail = f" (Retry-After: {exc.headers.get('Retry-After')})" if exc.code == 429 else ""
        raise ApiHTTPError(f"HTTP {exc.code} from {url}{detail}") from None
    except (socket.timeout, TimeoutError) as exc:
        raise ApiTimeoutError(f"timed out after {_api_timeout():g}s: {url}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise ApiTimeoutError(f"timed out after {_api_timeout():g}s: {url}") from None
        raise ApiConnectionError(f"{exc.reason}: {url}") from None
    except (ConnectionError, OSError) as exc:  # RemoteDisconnected, ConnectionResetError, ...
        raise ApiConnectionError(f"{type(exc).__name__}: {exc}: {url}") from None


@app.task(name="demo.quick_retry", bind=True, autoretry_for=(FlakyError,), retry_backoff=False,
          default_retry_delay=1, max_retries=3)
def quick_retry(self, n):
    """Fails on the first ``n`` attempts, retrying every second; n > 3 exhausts its retries."""
    if self.request.retries < n:
        raise FlakyError(f"quick_retry attempt {self.request.retries + 1} of {n + 1}")
    return n


@app.task(name="demo.slow_fixed_retry", bind=True, autoretry_for=(FlakyError,), retry_backoff=False,
          default_retry_delay=20, max_retries=4)
def slow_fixed_retry(self, n):
    """Fails on the first ``n`` attempts, retrying every 20 s; n > 4 exhausts its retries."""
    if self.request.retries < n:
        raise FlakyError(f"slow_fixed_retry attempt {self.request.retries + 1} of {n + 1}")
    return n


@app.task(name="demo.long_backoff", bind=True, max_retries=3)
def long_backoff(self, x):
    """Retries by hand with ``self.retry(countdown=90)``: waits in a long backoff, held in ``unacked``."""
    raise self.retry(countdown=90, exc=FlakyError(f"long_backoff({x}) attempt {self.request.retries + 1}"))


@app.task(name="demo.manual_retry", bind=True, max_retries=10)
def manual_retry(self, n, succeed_on):
    """Retries by hand with ``self.retry(countdown=2)``; succeeds on attempt ``succeed_on`` (1-based)."""
    attempt = self.request.retries + 1
    if attempt < succeed_on:
        raise self.retry(countdown=2, exc=FlakyError(f"manual_retry({n}) attempt {attempt}, succeeds on {succeed_on}"))
    return {"n": n, "attempt": attempt}


@app.task(name="demo.backoff_always_fails", bind=True, autoretry_for=(BackoffError,), retry_backoff=True,
          retry_backoff_max=4, retry_jitter=False, max_retries=3)
def backoff_always_fails(self, x):
    """Always fails: exact backoff waits of 1 s, 2 s and 4 s (no jitter), then FAILURE after 4 attempts."""
    raise BackoffError(f"always fails: attempt {self.request.retries + 1}")


@app.task(name="demo.unreliable", bind=True, autoretry_for=(FlakyError,), retry_backoff=True,
          retry_backoff_max=30, retry_jitter=True, max_retries=5)
def unreliable(self, x):
    """Fails half of the time, with backoff retries."""
    if random.random() < 0.5:
        raise FlakyError(f"unreliable({x}) attempt {self.request.retries + 1}")
    return x


@app.task(name="demo.permanent_failure")
def permanent_failure(x):
    """Always fails, and is never retried."""
    raise ValueError(f"permanent failure for {x!r}")


@app.task(name="demo.add")
def add(a, b):
    return a + b


@app.task(name="demo.long_task")
def long_task(seconds):
    """Sleeps; lets tests revoke and terminate a running task."""
    time.sleep(float(seconds))
    return seconds


@app.task(name="demo.echo", bind=True)
def echo(self, *args, **kwargs):
    """Returns and records its exact arguments; fails permanently when ``fail=True``.

    The record is ``json.dumps([args, kwargs])`` in ``$RETRYTOP_SIDE_EFFECT_DIR/<task_id>.json``, written
    before the failure, so a test can prove that a requeue re-sent exactly the original arguments.
    """
    directory = os.environ.get("RETRYTOP_SIDE_EFFECT_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"{self.request.id}.json")
        tmp = path + ".tmp"
        with open(tmp, "w") as handle:
            handle.write(json.dumps([list(args), kwargs]))
        os.replace(tmp, path)
    if kwargs.get("fail") is True:
        raise ValueError(f"echo asked to fail: args={args!r} kwargs={kwargs!r}")
    return [list(args), kwargs]


def _record_attempt(task, phase):
    """Appends ``{"id", "retries", "hostname", "phase"}`` to ``$RETRYTOP_SIDE_EFFECT_DIR/attempts.jsonl``.

    What the workers really did, one line per attempt start and end, for tests that check the fold against it
    (a single ``write`` of one short line to a file opened with ``O_APPEND`` is not interleaved).
    """
    directory = os.environ.get("RETRYTOP_SIDE_EFFECT_DIR")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    line = json.dumps({"id": task.request.id, "retries": task.request.retries,
                       "hostname": task.request.hostname, "phase": phase}) + "\n"
    fd = os.open(os.path.join(directory, "attempts.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


@app.task(name="demo.immediate_retry", bind=True, max_retries=10)
def immediate_retry(self, n):
    """Retries with ``countdown=0`` until ``retries == n``, then succeeds: under prefork the next attempt
    starts (and may finish) before the worker reports this one's retry (docs/celery-wire.md)."""
    _record_attempt(self, "start")
    if self.request.retries < n:
        _record_attempt(self, "retry")
        raise self.retry(countdown=0, exc=FlakyError(f"immediate_retry attempt {self.request.retries + 1}"))
    _record_attempt(self, "success")
    return n


@app.task(name="demo.slow_immediate_retry", bind=True, max_retries=3)
def slow_immediate_retry(self, seconds):
    """Sleeps, then retries with ``countdown=0``: a plain revoke while it sleeps discards its retry message."""
    _record_attempt(self, "start")
    time.sleep(float(seconds))
    _record_attempt(self, "retry")
    raise self.retry(countdown=0, exc=FlakyError(f"slow_immediate_retry attempt {self.request.retries + 1}"))


@app.task(name="demo.on_other_queue", queue="other")
def on_other_queue(x):
    """Routed to the non-default queue ``other``."""
    return x
