#!/usr/bin/env bash
# The demo: builds retrytop (release), starts the local demo deployment (redis-server, the flaky API,
# two Celery workers, a producer that makes retry storms) and runs the dashboard against it in the
# foreground. The stack is stopped when retrytop exits, or on Ctrl-C / SIGTERM / SIGHUP (a warm
# shutdown: the workers finish their running tasks first, which can take up to ~30 s).
#
#   bash scripts/demo.sh                       # local demo stack
#   bash scripts/demo.sh --broker URL [ARGS]   # a real deployment: no stack, just the dashboard
#   bash scripts/demo.sh -- ARGS               # extra retrytop arguments with the local stack
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

broker=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --broker) [ $# -ge 2 ] || { echo "demo: --broker needs a URL" >&2; exit 2; }; broker="$2"; shift 2 ;;
        --broker=*) broker="${1#--broker=}"; shift ;;
        --) shift; extra+=("$@"); break ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) extra+=("$1"); shift ;;
    esac
done

bash "$ROOT/scripts/setup.sh"
echo "demo: building retrytop (release)" >&2
swift build -c release --product retrytop
RETRYTOP="$(swift build -c release --show-bin-path)/retrytop"

if [ -n "$broker" ]; then
    exec "$RETRYTOP" --broker "$broker" "${extra[@]}"
fi

stopped=0
cleanup() {
    [ "$stopped" = 1 ] && return
    stopped=1
    trap - EXIT INT TERM HUP
    trap '' HUP INT
    bash "$ROOT/scripts/demo-stack.sh" stop
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

bash "$ROOT/scripts/demo-stack.sh" start
# shellcheck disable=SC1091
. "$ROOT/.run/demo.env"
echo "demo: retrytop --broker $BROKER (the stack stops when it exits; logs in .run/)" >&2
status=0
"$RETRYTOP" --broker "$BROKER" "${extra[@]}" || status=$?
exit "$status"
