#!/bin/sh
# Runs each libFuzzer target of Fuzz/ (built by scripts/fuzz-build.sh) for FUZZ_SECONDS
# (first argument, default 600) and prints executions and crashes per target. Fails when a
# target crashes, leaks or times out; the input is left in .build-fuzz/crash-* (see Fuzz/README.md).
#   scripts/fuzz.sh 3600          # a long run; the grown corpus stays in .build-fuzz/corpus/<target>
#   FUZZ_SECONDS=8 scripts/fuzz.sh  # the short run scripts/test.sh makes
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-${FUZZ_SECONDS:-600}}
OUT=${FUZZ_BUILD_DIR:-.build-fuzz}
TARGETS=${FUZZ_TARGETS:-http imap mime search}
[ "${FUZZ_SKIP_BUILD:-0}" = 1 ] || scripts/fuzz-build.sh
status=0
for target in $TARGETS; do
    corpus="$OUT/corpus/$target"
    mkdir -p "$corpus"
    log="$OUT/$target.log"
    # Seeds from the repository first (read-only), new finds go to the scratch corpus.
    if "$OUT/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$OUT/" "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    crashes=$(ls "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* 2>/dev/null | wc -l)
    echo "fuzz $target: $result, $runs executions in ${SECONDS_EACH}s, $crashes crash/leak/timeout files in $OUT"
    [ "$result" = ok ] || tail -40 "$log"
done
exit $status
