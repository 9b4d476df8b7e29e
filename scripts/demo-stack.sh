#!/usr/bin/env bash
# A local demo deployment: redis-server, the flaky HTTP API, two Celery workers and the producer.
#
#   bash scripts/demo-stack.sh start    # start everything on free 127.0.0.1 ports; writes .run/demo.env
#   bash scripts/demo-stack.sh env      # print the exports (eval "$(bash scripts/demo-stack.sh env)")
#   bash scripts/demo-stack.sh status   # which of the recorded processes are alive
#   bash scripts/demo-stack.sh stop     # stop exactly the recorded processes (and their process groups)
#
# Every process is started with setsid, so it leads its own process group; `stop` signals those groups
# by PID (after checking each PID still leads its group) and nothing else. Logs: .run/*.log.
# Tunables (environment): DEMO_WORKER_CONCURRENCY (4), DEMO_PRODUCER_ARGS (extra producer.py flags),
# FLAKY_* (see demo/flaky_api.py), RETRYTOP_RESULT_EXTENDED=1 (adds a result backend on db 1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.run"
ENV_FILE="$RUN/demo.env"
VENV="$ROOT/.venv"
# Order matters for stop: traffic first, workers next (warm shutdown restores unacked messages), Redis last.
ROLES=(PRODUCER W1 W2 API REDIS)

die() { echo "demo-stack: error: $*" >&2; exit 1; }
say() { echo "demo-stack: $*" >&2; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# True when PID is alive and still leads its own process group (as setsid left it).
owns_group() {
    local pid="$1" pgid
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
    [ "$pgid" = "$pid" ]
}

pid_of() { local var="${1}_PID"; echo "${!var:-}"; }

load_env() { [ -f "$ENV_FILE" ] && . "$ENV_FILE"; }

# Starts "$@" in a new session with stdout+stderr to .run/<log>.log; prints the PID.
launch() {
    local log="$1"; shift
    setsid "$@" </dev/null >"$RUN/$log.log" 2>&1 &
    echo $!
}

# wait_for SECONDS PID COMMAND...: until COMMAND succeeds; fails at once if PID exits, or after SECONDS.
wait_for() {
    local seconds="$1" pid="$2"; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || return 1
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null)" = "PONG" ]; }
http_ok() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1"; }

# stop_role ROLE GRACE [leader|group]: SIGTERM the leader alone (Celery workers: a warm shutdown lets
# running tasks finish and restores unacked messages; signalling the pool children would kill their
# tasks) or the whole group; wait up to GRACE seconds; then SIGKILL whatever is left of the group.
stop_role() {
    local role="$1" grace="$2" target="${3:-group}" pid
    pid="$(pid_of "$role")"
    [ -n "$pid" ] || return 0
    if ! owns_group "$pid"; then
        kill -0 "$pid" 2>/dev/null && say "$role pid $pid no longer leads its process group; leaving it alone"
        return 0
    fi
    if [ "$target" = leader ]; then kill -TERM "$pid" 2>/dev/null || true
    else kill -TERM -- "-$pid" 2>/dev/null || true
    fi
    local deadline=$((SECONDS + grace))
    while kill -0 -- "-$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 -- "-$pid" 2>/dev/null; then
        say "$role (pid $pid) still running after ${grace}s; sending SIGKILL to its group"
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
}

cmd_stop() {
    load_env || { say "nothing to stop (no $ENV_FILE)"; return 0; }
    # Finish stopping even if the terminal goes away or Ctrl-C is pressed again meanwhile.
    trap '' HUP INT
    local pid
    stop_role PRODUCER 10
    # Both workers shut down together; a warm shutdown lasts as long as the longest running task.
    for pid in "$(pid_of W1)" "$(pid_of W2)"; do
        owns_group "$pid" && kill -TERM "$pid" 2>/dev/null || true
    done
    stop_role W1 30 leader
    stop_role W2 30 leader
    stop_role API 5
    stop_role REDIS 10
    rm -f "$ENV_FILE"
    say "stopped"
}

cmd_status() {
    load_env || { echo "not running"; return 0; }
    local role pid
    for role in "${ROLES[@]}"; do
        pid="$(pid_of "$role")"
        if owns_group "$pid"; then echo "$role pid $pid running"; else echo "$role pid ${pid:-?} not running"; fi
    done
    echo "broker $BROKER"
}

cmd_start() {
    if load_env; then
        for role in "${ROLES[@]}"; do
            owns_group "$(pid_of "$role")" && die "already running (see $ENV_FILE); run: bash scripts/demo-stack.sh stop"
        done
        rm -f "$ENV_FILE"
    fi
    bash "$ROOT/scripts/setup.sh"
    command -v redis-cli >/dev/null 2>&1 || die "redis-cli missing; run scripts/setup.sh"
    mkdir -p "$RUN/redis" "$RUN/side-effects"

    local redis_port api_port broker backend="" pid
    redis_port="$(free_port)"
    api_port="$(free_port)"
    broker="redis://127.0.0.1:$redis_port/0"
    if [ "${RETRYTOP_RESULT_EXTENDED:-}" = "1" ]; then backend="redis://127.0.0.1:$redis_port/1"; fi

    # Record each PID as soon as it exists, so a failed start can still be stopped.
    : >"$ENV_FILE"
    record() { printf '%s=%q\n' "$1" "$2" >>"$ENV_FILE"; }
    record BROKER "$broker"
    record RETRYTOP_BROKER "$broker"
    record REDIS_PORT "$redis_port"
    record API_URL "http://127.0.0.1:$api_port"
    # Any failure from here on (a failed command or a die) stops what was already started.
    trap 'say "start failed; stopping what was started (logs in $RUN)"; cmd_stop' EXIT

    record REDIS_PID "$(launch redis redis-server --port "$redis_port" --bind 127.0.0.1 \
        --dir "$RUN/redis" --save "" --appendonly no --daemonize no)"
    . "$ENV_FILE"
    wait_for 10 "$REDIS_PID" redis_ping "$redis_port" || { tail -n 20 "$RUN/redis.log" >&2; die "redis-server did not answer PING"; }

    export PYTHONDONTWRITEBYTECODE=1
    record API_PID "$(launch api "$VENV/bin/python" "$ROOT/demo/flaky_api.py" --port "$api_port")"
    . "$ENV_FILE"
    wait_for 10 "$API_PID" http_ok "$API_URL/health" || { tail -n 20 "$RUN/api.log" >&2; die "flaky API did not answer"; }

    export RETRYTOP_BROKER="$broker" RETRYTOP_API_URL="$API_URL" RETRYTOP_SIDE_EFFECT_DIR="$RUN/side-effects"
    [ -n "$backend" ] && export RETRYTOP_RESULT_BACKEND="$backend"
    export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
    local n
    for n in 1 2; do
        record "W${n}_PID" "$(cd "$ROOT/demo" && launch "worker$n" "$VENV/bin/celery" -A demo_tasks worker -E -l info \
            -c "${DEMO_WORKER_CONCURRENCY:-4}" -n "w$n@%h" -Q celery,other)"
    done
    . "$ENV_FILE"
    for n in 1 2; do
        pid="$(pid_of "W$n")"
        wait_for 60 "$pid" grep -q "ready\." "$RUN/worker$n.log" \
            || { tail -n 30 "$RUN/worker$n.log" >&2; die "worker w$n did not become ready"; }
    done

    # shellcheck disable=SC2086
    record PRODUCER_PID "$(cd "$ROOT/demo" && launch producer "$VENV/bin/python" producer.py --api "$API_URL" ${DEMO_PRODUCER_ARGS:-})"
    trap - EXIT
    . "$ENV_FILE"
    say "started: broker $BROKER, api $API_URL, workers w1 w2, producer (pids in $ENV_FILE, logs in $RUN)"
}

cmd_env() {
    load_env || die "not running (no $ENV_FILE); run: bash scripts/demo-stack.sh start"
    sed 's/^/export /' "$ENV_FILE"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    env) cmd_env ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
