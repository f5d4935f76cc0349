#!/usr/bin/env bash
# Benchmark (not a test): single-request latency with the IMAP server made remote. One Dovecot
# with FOLDER of MESSAGES small messages (scripts/seed_maildir.py), behind scripts/latency_proxy.py
# delaying each direction by DELAY ms (10: a 20 ms round trip); the gateway connects through the
# proxy. One keep-alive client (scripts/bench_latency_client.py) times COUNT warm requests of each
# kind, and the same page read by the strongest raw IMAP client (one FETCH by sequence number on a
# connection that keeps the folder EXAMINEd) through the same proxy, in the same run.
#
#   scripts/bench-latency.sh [extra serve arguments, e.g. --mirror off]
#
# With --mirror on the same reads are timed once more after the folder's watcher is in IDLE
# ("watched": the client waits until a page sends no IMAP command, then checks none was sent),
# unless the arguments include --mirror-watchers-per-account 0 (every read revalidates).
#
# Environment: MESSAGES (5000), COUNT (15), DELAY (10, ms each way), GATEWAY_BINARY (prebuilt
#   imap-gateway; default: release build in BENCH_SCRATCH or .build), KEEP_BENCH_DIR=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench-latency
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

MESSAGES=${MESSAGES:-5000}
COUNT=${COUNT:-15}
DELAY=${DELAY:-10}
FOLDER=Remote

bench_need python3 python3
bench_make_dir
PROXY_PID=""
cleanup() {
    [[ -n $PROXY_PID ]] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
    bench_cleanup
}
trap cleanup EXIT

bench_say "seeding $FOLDER ($MESSAGES) in $BENCH_DIR; $(bench_load)"
mkdir -p "$BENCH_DIR/mail/bench"
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/$FOLDER" "$MESSAGES"
bench_start_dovecot
DIRECT_PORT=$IMAP_PORT
# Let Dovecot index the folder before anything is timed.
python3 - "$DIRECT_PORT" "$FOLDER" <<'PY'
import imaplib, sys
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
imap.login("bench", "bench")
typ, data = imap.select(sys.argv[2], readonly=True)
if typ != "OK":
    sys.exit(f"EXAMINE: {data}")
imap.logout()
PY
PROXY_PORT=$(bench_free_port)
python3 scripts/latency_proxy.py "$PROXY_PORT" 127.0.0.1 "$DIRECT_PORT" "$DELAY" >"$BENCH_DIR/proxy.log" 2>&1 &
PROXY_PID=$!
bench_wait_for_port "$PROXY_PORT" "* OK"
IMAP_PORT=$PROXY_PORT
bench_start_gateway "$@"

rtt=$(awk -v d="$DELAY" 'BEGIN { print 2 * d }')
echo
echo "One keep-alive client, $COUNT warm requests each, IMAP $DELAY ms away each way (round trip $rtt ms), $MESSAGES messages; serve $*"
# Without folder watchers (--mirror-watchers-per-account 0) every mirrored read revalidates on a
# pooled session: the client then skips the watched reads.
UNWATCHED=0
[[ " $* " == *" --mirror-watchers-per-account 0 "* ]] && UNWATCHED=1
UNWATCHED=$UNWATCHED python3 scripts/bench_latency_client.py "$HTTP_PORT" "$PROXY_PORT" bench bench "$FOLDER" "$COUNT" "$rtt"
echo "  $(bench_load)"
