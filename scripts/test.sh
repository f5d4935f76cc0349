#!/usr/bin/env bash
# THE test command: installs what is missing (scripts/install-deps.sh), builds everything and
# runs the whole test suite against a real Dovecot. Exits non-zero on any failure.
#
#   scripts/test.sh                     everything
#   scripts/test.sh --filter GatewayTests   extra arguments go to `swift test`
#   SCRATCH=.build-me scripts/test.sh   build into another scratch path (parallel work)
#   JOBS=2                              build jobs (default 2: the machines have 2 cores)
#   TEST_TIMEOUT=1800                   seconds before a hung `swift test` is killed
set -euo pipefail
cd "$(dirname "$0")/.."

# pip installs console scripts (hadolint) into ~/.local/bin when it installs per user.
export PATH="$PATH:$HOME/.local/bin"
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null || { echo "test.sh: swift not found (expected in /opt/swift/usr/bin)" >&2; exit 1; }

scripts/install-deps.sh

jobs=${JOBS:-2}
scratch=()
[[ -n ${SCRATCH:-} ]] && scratch=(--scratch-path "$SCRATCH")

echo "== swift build (all targets, tests included)"
swift build "${scratch[@]}" -j "$jobs" --build-tests

echo "== swift test"
log=$(mktemp /tmp/imap-gateway-test.XXXXXX.log)
set +e
# --no-parallel: Swift Testing would otherwise start every test at once on the two cooperative
# threads of a 2-core machine; tests that start Dovecot or seed maildirs synchronously then stall
# the timing-sensitive ones for a minute. Serial, the whole suite takes about 3 minutes.
# Line-buffered, so the log shows where a run stands (stdout into a pipe is block-buffered);
# a deadline, so a hung test fails the run instead of hanging CI. Its Dovecots clean up after it.
timeout --kill-after=30s "${TEST_TIMEOUT:-1800}" stdbuf -oL -eL \
    swift test "${scratch[@]}" -j "$jobs" --skip-build --no-parallel "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "== TIMEOUT: swift test ran longer than ${TEST_TIMEOUT:-1800}s"
    # swift-test runs the test bundle in a process group of its own, so the timeout does not
    # reach it: end the processes running exactly this build's test bundle.
    bundle="$(swift build "${scratch[@]}" --show-bin-path)/imap-gatewayPackageTests.xctest"
    for exe in /proc/[0-9]*/exe; do
        if [[ $(readlink "$exe" 2>/dev/null) == "$bundle" ]]; then
            pid=${exe#/proc/}
            pid=${pid%/exe}
            echo "== killing the hung test process $pid ($bundle)"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
fi
set -e

# Fuzzing (issue 13): the libFuzzer targets of Fuzz/ built and run briefly from their seeds;
# `scripts/fuzz.sh 3600` is the long run. Skipped only when asked (FUZZ_SECONDS=0), said so.
fuzz_status=0
if [[ ${FUZZ_SECONDS:-8} != 0 && $# -eq 0 ]]; then
    echo "== fuzzing: each target ${FUZZ_SECONDS:-8}s (scripts/fuzz.sh)"
    FUZZ_SECONDS=${FUZZ_SECONDS:-8} scripts/fuzz.sh || fuzz_status=$?
else
    echo "== fuzzing skipped (FUZZ_SECONDS=0 or a --filter run)"
fi

echo
echo "== summary (full log: $log)"
# Swift Testing: the failing tests and the final line; XCTest: its totals.
grep -aE '✘ Test .*(failed|recorded)|Test run with|Executed [0-9]+ tests?, with' "$log" | tail -n 40 || true
if [[ $status -eq 0 && $fuzz_status -ne 0 ]]; then
    status=$fuzz_status
    echo "== FAILED (a fuzz target crashed: see .build-fuzz/)"
elif [[ $status -ne 0 ]]; then
    echo "== FAILED (swift test exit status $status)"
else
    echo "== PASSED"
fi
exit "$status"
