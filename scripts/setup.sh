#!/usr/bin/env bash
# Installs what retrytop needs to build, test and demo, and nothing more. Idempotent and quiet:
# system packages are installed only when missing (apt-get update only then), and the project-local
# Celery venv (.venv) is rebuilt only when its marker does not match the pinned requirements.
#
#   bash scripts/setup.sh            # quiet; errors go to stderr with the failing step's output
#   VERBOSE=1 bash scripts/setup.sh  # show what it does
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
CELERY_REQUIREMENT='celery[redis]==5.7.0'   # celery[redis], not "celery redis": kombu's redis transport needs packaging, which only the extra pulls in
MARKER="$VENV/.retrytop-setup"
APT_PACKAGES=(libncurses-dev libhiredis-dev libssl-dev libsqlite3-dev redis-server tmux pkg-config python3 python3-venv)

export DEBIAN_FRONTEND=noninteractive

say() { [ -n "${VERBOSE:-}" ] && echo "setup: $*" >&2 || true; }
die() { echo "setup: error: $*" >&2; exit 1; }

# Runs a command quietly; on failure prints its captured output and the step name, then exits.
run_quiet() {
    local step="$1"; shift
    local log; log="$(mktemp)"
    if [ -n "${VERBOSE:-}" ]; then
        "$@" || die "$step failed (command: $*)"
    elif ! "$@" >"$log" 2>&1; then
        cat "$log" >&2; rm -f "$log"
        die "$step failed (command: $*)"
    fi
    rm -f "$log"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
    else die "need root to run: $* (re-run as root or install the packages yourself)"
    fi
}

# --- system packages ------------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get; install them by hand"
    say "installing ${missing[*]}"
    run_quiet "apt-get update" as_root apt-get update -q
    run_quiet "apt-get install ${missing[*]}" as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
for tool in redis-server tmux pkg-config; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is still not on PATH after installing its package"
done
pkg-config --exists hiredis  || die "pkg-config cannot find hiredis (libhiredis-dev)"
pkg-config --exists ncursesw || die "pkg-config cannot find ncursesw (libncurses-dev)"
pkg-config --exists sqlite3  || die "pkg-config cannot find sqlite3 (libsqlite3-dev)"

# --- project-local Celery venv --------------------------------------------------------------------
# Debian's python3 is the one python3-venv was installed for; fall back to whatever python3 is on PATH.
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON="$(command -v python3 || true)"; fi
fi
[ -n "$PYTHON" ] || die "no python3 found"

want_marker="$CELERY_REQUIREMENT"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$want_marker" ] && [ -x "$VENV/bin/celery" ]; then
    say "venv up to date ($want_marker)"
    exit 0
fi

say "creating $VENV with $PYTHON"
rm -rf "$VENV"
run_quiet "python venv creation" "$PYTHON" -m venv "$VENV"
run_quiet "pip install $CELERY_REQUIREMENT" \
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$CELERY_REQUIREMENT"
run_quiet "celery import check" "$VENV/bin/python" -c 'import celery, kombu.transport.redis, redis'
[ -x "$VENV/bin/celery" ] || die "$VENV/bin/celery missing after install"
printf '%s' "$want_marker" > "$MARKER"
say "venv ready: $("$VENV/bin/celery" --version)"
