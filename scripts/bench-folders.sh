#!/usr/bin/env bash
# Benchmark (not a test): a client that alternates between two folders, one page at a time.
# One run, one Dovecot, folders of BIG (20,000) and SMALL (20) small messages:
#
#   (a) gateway  COUNT sequential `curl -w %{time_total}` of GET /folders/{folder}/messages?limit=50,
#                alternating the two folders (HTTP Basic; the pool may open 3 sessions)
#   (b) raw IMAP scripts/bench_raw_imap_pages.py alternate, sequence-mode pages
#                (FETCH max(1,EXISTS-49):* of UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE):
#         one    one connection that EXAMINEs each folder before its page (a one-session client)
#         two    two connections, each keeping its folder EXAMINEd (the best a client can do)
#   Prints median and p90 of each and the ratios gateway/two (1.0 would be free) and one/gateway.
#
#   scripts/bench-folders.sh
#
# Environment: COUNT (80), BIG (20000), SMALL (20), GATEWAY_BINARY (prebuilt imap-gateway;
#   default: release build in BENCH_SCRATCH or .build), KEEP_BENCH_DIR=1 keeps the Dovecot directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench-folders
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

COUNT=${COUNT:-80}
BIG=${BIG:-20000}
SMALL=${SMALL:-20}

bench_need curl curl
bench_need python3 python3
bench_make_dir
trap bench_cleanup EXIT

bench_say "seeding Big ($BIG) and Small ($SMALL) in $BENCH_DIR; $(bench_load)"
mkdir -p "$BENCH_DIR/mail/bench"
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Big" "$BIG"
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Small" "$SMALL"
bench_start_dovecot
python3 - "$IMAP_PORT" <<'PY'
import imaplib, sys
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
imap.login("bench", "bench")
for folder in ("Big", "Small"):
    typ, data = imap.select(folder, readonly=True)
    if typ != "OK":
        sys.exit(f"EXAMINE {folder}: {data}")
imap.logout()
PY
bench_start_gateway
base="http://127.0.0.1:$HTTP_PORT"
auth="Authorization: Basic $(printf 'bench:bench' | base64)"

# Prints "median p90" in seconds of COUNT alternating pages through the gateway.
gateway_pages() {
    local folders=(Big Small) out=$BENCH_DIR/gateway.txt
    for index in 0 1 2 3; do
        curl -fsS -o /dev/null -H "$auth" "$base/folders/${folders[index % 2]}/messages?limit=50"
    done
    for index in $(seq 0 $((COUNT - 1))); do
        curl -fsS -o /dev/null -w '%{time_total}\n' -H "$auth" "$base/folders/${folders[index % 2]}/messages?limit=50"
    done | sort -g >"$out"
    awk '{ v[NR] = $1 } END { printf "%s %s\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[int(NR * 0.9) + 1] }' "$out"
}
raw_pages() { python3 scripts/bench_raw_imap_pages.py alternate "$IMAP_PORT" bench bench Big Small "$COUNT" "$1"; }

bench_say "$COUNT pages alternating Big and Small, each way; $(bench_load)"
read -r g_median g_p90 <<<"$(gateway_pages)"
read -r one_median one_p90 <<<"$(raw_pages one)"
read -r two_median two_p90 <<<"$(raw_pages two)"
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "Alternating two folders ($BIG and $SMALL messages), $COUNT sequential pages of 50"
echo "  (a) gateway               median $(ms "$g_median"), p90 $(ms "$g_p90")"
echo "  (b) raw IMAP, one session median $(ms "$one_median"), p90 $(ms "$one_p90")  (EXAMINE before each page)"
echo "      raw IMAP, two sessions median $(ms "$two_median"), p90 $(ms "$two_p90")  (each keeps its folder)"
echo "  gateway / two sessions: $(ratio "$g_median" "$two_median"); one session / gateway: $(ratio "$one_median" "$g_median"); $(bench_load)"
