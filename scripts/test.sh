#!/usr/bin/env bash
# THE test command: installs prerequisites, builds everything (including the retrytop executable that
# the integration tests drive through tmux), then runs every test. Exits nonzero on any failure.
#
#   bash scripts/test.sh                      # all tests
#   bash scripts/test.sh --filter Integration # extra arguments go to `swift test`
#   SCRATCH_PATH=.build-infra bash scripts/test.sh   # use another build directory
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scratch=()
[ -n "${SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$SCRATCH_PATH")

step() { echo "==> $*" >&2; }

step "setup"
bash "$ROOT/scripts/setup.sh"

step "swift build"
swift build "${scratch[@]}"
step "swift build --product retrytop"
swift build "${scratch[@]}" --product retrytop

# Integration tests find the binary through RETRYTOP_BIN (see TestSupport RepoPaths).
RETRYTOP_BIN="$(swift build "${scratch[@]}" --show-bin-path)/retrytop"
export RETRYTOP_BIN
[ -x "$RETRYTOP_BIN" ] || { echo "test: error: $RETRYTOP_BIN was not built" >&2; exit 1; }

# The storm test measures the shipped build: a release retrytop, found through RETRYTOP_RELEASE_BIN.
step "swift build -c release --product retrytop"
swift build "${scratch[@]}" -c release --product retrytop
RETRYTOP_RELEASE_BIN="$(swift build "${scratch[@]}" -c release --show-bin-path)/retrytop"
export RETRYTOP_RELEASE_BIN
[ -x "$RETRYTOP_RELEASE_BIN" ] || { echo "test: error: $RETRYTOP_RELEASE_BIN was not built" >&2; exit 1; }

if [ $# -gt 0 ]; then
    step "swift test $*"
    exec swift test "${scratch[@]}" "$@"
fi

# Unit, golden-screen and adapter tests run in parallel; the integration tests (real Celery workers,
# tmux, timing of backoffs and pacing) run one at a time so that two cores are not shared by several
# worker pools at once.
step "swift test --skip IntegrationTests"
swift test "${scratch[@]}" --skip IntegrationTests
# A bounded fuzz run over the committed corpus (its own .build-fuzz); a crash fails the run.
step "scripts/fuzz.sh ${FUZZ_SECONDS:-60}"
bash "$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-60}"
step "swift test --filter IntegrationTests --no-parallel"
swift test "${scratch[@]}" --filter IntegrationTests --no-parallel
