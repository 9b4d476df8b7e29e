#!/usr/bin/env bash
# The firehose benchmark, as BENCHMARKS.md reports it: release build, own redis-server on a free port,
# Celery's own EventReceiver + State (bench/celery_state_peer.py, project venv) side by side on every rung.
#   bench/run.sh                      # full run, Markdown on stdout
#   bench/run.sh --json               # the same as JSON
#   bench/run.sh --only core,memory   # one-core decode/fold and memory only (no Redis needed)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import celery' 2>/dev/null; then
  echo "bench/run.sh: no .venv with celery (run scripts/setup.sh); the Celery peer will be skipped" >&2
  set -- --no-peer "$@"
fi
swift build -c release --product retrytop >&2
# Not `exec`: the start-up figure is measured from the process's own start time, which an exec'd
# process would inherit from this script (build check included).
"$(swift build -c release --show-bin-path)/retrytop" bench "$@"
