#!/usr/bin/env bash
# Builds the DecodeFuzz libFuzzer target and runs it for a bounded time over the committed corpus.
#
#   bash scripts/fuzz.sh            # 60 s
#   bash scripts/fuzz.sh 600        # 10 minutes
#
# New interesting inputs go to .build-fuzz/corpus (not committed); a crash input is written as
# .build-fuzz/crash-<sha1> and the run fails. After fixing it, copy the crash input into
# Tests/Fixtures/fuzz-corpus/ (FuzzCorpusTests replays every file there).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
seconds="${1:-60}"
scratch="$ROOT/.build-fuzz"

echo "==> swift build DecodeFuzz (libFuzzer + ASan) in $scratch" >&2
# A toolset, not -Xswiftc: SwiftPM does not pass -Xswiftc's -use-ld to the link, and gold fails on this
# link ("internal error in format_file_lineno"); lld ships with the Swift toolchain.
mkdir -p "$scratch"
cat > "$scratch/toolset.json" <<'JSON'
{"schemaVersion": "1.0", "swiftCompiler": {"extraCLIOptions": ["-sanitize=fuzzer,address", "-DDECODE_FUZZ_LIBFUZZER", "-use-ld=lld"]}}
JSON
swift build -c release --product DecodeFuzz --scratch-path "$scratch" --toolset "$scratch/toolset.json"
bin="$(swift build -c release --scratch-path "$scratch" --toolset "$scratch/toolset.json" --show-bin-path)/DecodeFuzz"

mkdir -p "$scratch/corpus"
echo "==> DecodeFuzz for ${seconds}s over Tests/Fixtures/fuzz-corpus" >&2
# Swift's own backtracer would take the trap first and libFuzzer would write no crash input.
SWIFT_BACKTRACE=enable=no "$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$scratch/" -print_final_stats=1 \
    "$scratch/corpus" "$ROOT/Tests/Fixtures/fuzz-corpus"
