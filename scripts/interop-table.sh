#!/usr/bin/env bash
# Writes the README's interop table (server × feature) from what the interop tests observed.
#
#   scripts/interop-table.sh            runs `swift test --filter InteropTests` (builds first) and
#                                       rewrites the table between the README's interop markers
#   scripts/interop-table.sh LOG        uses the output of an earlier run instead (e.g. the log
#                                       scripts/test.sh prints the path of)
#   SCRATCH=.build-me                   scratch path for the build and test run
#
# Each interop test prints `INTEROP-RESULT<TAB>server<TAB>feature<TAB>outcome` (✓, a status such
# as 422, or a short note); a feature whose test failed before recording shows "–". The run's
# pass/fail count goes under the table, so a table from a failing run says so.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=()
[[ -n ${SCRATCH:-} ]] && scratch=(--scratch-path "$SCRATCH")
if [[ $# -ge 1 ]]; then
    log=$1
else
    log=$(mktemp /tmp/interop-table.XXXXXX.log)
    command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
    swift build "${scratch[@]}" -j "${JOBS:-2}" --build-tests
    set +e
    swift test "${scratch[@]}" --skip-build --no-parallel --filter InteropTests 2>&1 | tee "$log"
    set -e
fi

python3 - "$log" README.md <<'PY'
import re, sys
log_path, readme_path = sys.argv[1], sys.argv[2]
log = open(log_path, encoding="utf-8", errors="replace").read()
servers, features, cells = [], [], {}
for line in log.splitlines():
    parts = line.split("\t")
    if len(parts) != 4 or parts[0] != "INTEROP-RESULT":
        continue
    _, server, feature, outcome = parts
    if server not in servers: servers.append(server)
    if feature not in features: features.append(feature)
    cells[(server, feature)] = outcome
if not cells:
    sys.exit("interop-table: no INTEROP-RESULT lines in " + log_path + " (did the interop tests run?)")
order = [s for s in ("cyrus", "courier", "pymap") if s in servers] + [s for s in servers if s not in ("cyrus", "courier", "pymap")]
names = {"cyrus": "Cyrus 3.6", "courier": "Courier 5", "pymap": "pymap 0.36"}
rows = ["| feature | " + " | ".join(names.get(s, s) for s in order) + " |",
        "|---|" + "---|" * len(order)]
for feature in features:
    rows.append("| " + feature + " | " + " | ".join(cells.get((s, feature), "–") for s in order) + " |")
summary = re.findall(r"Test run with (\d+) tests?(?: in \d+ suites?)? (passed|failed)[^\n]*", log)
note = ""
if summary:
    count, verdict = summary[-1]
    note = f"\nWritten by `scripts/interop-table.sh` from a test run ({count} tests in that run, {verdict})."
table = "\n".join(rows) + "\n" + note + "\n"
readme = open(readme_path, encoding="utf-8").read()
start, end = "<!-- interop-table:start -->", "<!-- interop-table:end -->"
if start not in readme or end not in readme:
    sys.exit("interop-table: README.md has no " + start + " / " + end + " markers")
before, rest = readme.split(start, 1)
_, after = rest.split(end, 1)
open(readme_path, "w", encoding="utf-8").write(before + start + "\n" + table + end + after)
print("\n".join(rows))
PY
