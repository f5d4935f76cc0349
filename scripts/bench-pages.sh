#!/usr/bin/env bash
# Benchmark (not a test): read-side pages. One run, one Dovecot, three folders of small realistic
# messages (scripts/seed_maildir.py: From/To/Cc/Subject/Date, a third multipart):
#
#   (a) gateway   wrk -t2 -cC -dDURATION --latency, HTTP Basic, keep-alive, against
#                 GET /folders/Bench20k/messages?limit=50           -> pages/s and p99
#   (b) raw IMAP  scripts/bench_raw_imap_pages.py: C connections already logged in with Bench20k
#                 EXAMINEd, each doing one page after another for DURATION, responses read in full:
#         search    UID SEARCH RETURN (ALL) ALL + UID FETCH of the 50 highest UIDs (UID FLAGS
#                   ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE): the issue's reference -> pages/s
#         sequence  FETCH max(1,EXISTS-49):* of the same items, EXISTS as the session was told: what
#                   the gateway asks of the server now, so the stronger (honest) reference -> pages/s
#       ratios gateway/raw against both (target >= 0.8). Rounds alternate the three; medians are
#       reported (neighbours on a shared machine move single runs a lot).
#   (c) one page in Bench100k against one in Bench1k: median of SAMPLES sequential curl requests
#       each (folder after folder, after a warm-up), curl -w '%{time_total}'; ratio (target <= 1.5).
#       The same for raw IMAP (both references), to show what Dovecot itself adds for the bigger folder.
#
#   scripts/bench-pages.sh
#
# MIRROR=on runs the gateway with --mirror on (scripts/bench-mirror.sh compares off, on and the
# raw client in one run).
#
# Environment: C (8), DURATION (10, seconds), ROUNDS (3), SAMPLES (30), MESSAGES (20000), MIRROR (off),
#   SMALL (1000), BIG (100000), GATEWAY_BINARY (prebuilt imap-gateway; default: release build in
#   BENCH_SCRATCH or .build), KEEP_BENCH_DIR=1 keeps the Dovecot directory (under /dev/shm).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench-pages
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

C=${C:-8}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
SAMPLES=${SAMPLES:-30}
MESSAGES=${MESSAGES:-20000}
SMALL=${SMALL:-1000}
BIG=${BIG:-100000}
LIMIT=50

bench_need wrk wrk
bench_need curl curl
bench_need python3 python3
bench_make_dir
trap bench_cleanup EXIT

bench_say "seeding Bench20k ($MESSAGES), Bench1k ($SMALL), Bench100k ($BIG) in $BENCH_DIR; $(bench_load)"
mkdir -p "$BENCH_DIR/mail/bench"
seeders=()
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Bench20k" "$MESSAGES" & seeders+=($!)
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Bench100k" "$BIG" & seeders+=($!)
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Bench1k" "$SMALL"
for pid in "${seeders[@]}"; do wait "$pid" || bench_die "seeding failed"; done

bench_start_dovecot
userip=$(doveconf -c "$BENCH_DIR/dovecot.conf" -h mail_max_userip_connections)
((userip >= 2 * C + 4)) || bench_die "mail_max_userip_connections = $userip: too low for C=$C"

# Dovecot assigns UIDs and builds its index at the first EXAMINE: do that before any clock runs.
bench_say "indexing the folders (first EXAMINE)"
python3 - "$IMAP_PORT" <<'PY'
import imaplib, sys
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
imap.login("bench", "bench")
for folder in ("Bench1k", "Bench20k", "Bench100k"):
    typ, data = imap.select(folder, readonly=True)
    if typ != "OK":
        sys.exit(f"EXAMINE {folder}: {data}")
imap.logout()
PY

MIRROR=${MIRROR:-off}
bench_start_gateway --pool-per-account "$C" --pool-global "$((C * 2))" --mirror "$MIRROR"
base="http://127.0.0.1:$HTTP_PORT"
auth="Authorization: Basic $(printf 'bench:bench' | base64)"

# The gateway must answer real pages before it is timed.
check_page() {
    local folder=$1 total=$2
    curl -fsS -H "$auth" "$base/folders/$folder/messages?limit=$LIMIT" | python3 -c '
import json, sys
page, total, limit = json.load(sys.stdin), int(sys.argv[1]), int(sys.argv[2])
got_total, got = page.get("total"), len(page.get("messages", []))
if got_total != total or got != limit:
    sys.exit(f"unexpected page: total {got_total}, {got} messages")
first = page["messages"][0]
missing = [k for k in ("subject", "from", "flags", "size") if k not in first]
if missing:
    sys.exit(f"page lacks {missing}: {first}")
' "$total" "$LIMIT" || bench_die "GET /folders/$folder/messages is wrong (gateway log: $BENCH_DIR/gateway.log)"
}
check_page Bench20k "$MESSAGES"
check_page Bench1k "$SMALL"
check_page Bench100k "$BIG"

url="$base/folders/Bench20k/messages?limit=$LIMIT"
wrk_out=$BENCH_DIR/wrk.txt
run_gateway() {
    wrk -t2 -c"$C" -d"${DURATION}s" --latency -H "$auth" "$url" >"$wrk_out" 2>&1
    if grep -q "Non-2xx\|Socket errors" "$wrk_out"; then
        cat "$wrk_out" >&2
        bench_die "the gateway answered errors (see above; its log: $BENCH_DIR/gateway.log)"
    fi
    # "pages/s p99-in-ms"
    awk '/^Requests\/sec:/ { rps = $2 }
         $1 == "99%" { v = $2; f = 1
                       if (v ~ /us$/) f = 0.001; else if (v ~ /ms$/) f = 1; else if (v ~ /s$/) f = 1000
                       sub(/[a-z]+$/, "", v); p99 = v * f }
         END { printf "%s %.2f\n", rps, p99 }' "$wrk_out"
}
run_raw() { python3 scripts/bench_raw_imap_pages.py rate "$IMAP_PORT" bench bench Bench20k "$C" "$DURATION" "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Warm-up: the gateway's pool opens its C sessions and selects Bench20k on each.
wrk -t2 -c"$C" -d2s -H "$auth" "$url" >/dev/null 2>&1

bench_say "(a)+(b): $ROUNDS rounds of ${DURATION}s each, C=$C, Bench20k; $(bench_load)"
raw_rates=() seq_rates=() gateway_rates=() gateway_p99s=()
ratio_of() { awk -v g="$1" -v r="$2" 'BEGIN { printf "%.2f", g / r }'; }
for round in $(seq 1 "$ROUNDS"); do
    raw=$(run_raw search)
    raw_load=$(bench_load)
    seq_raw=$(run_raw sequence)
    seq_load=$(bench_load)
    result=$(run_gateway)
    read -r gateway p99 <<<"$result"
    raw_rates+=("$raw")
    seq_rates+=("$seq_raw")
    gateway_rates+=("$gateway")
    gateway_p99s+=("$p99")
    bench_say "round $round: raw IMAP search $raw pages/s ($raw_load), sequence $seq_raw pages/s ($seq_load)," \
              "gateway $gateway pages/s p99 ${p99}ms ($(bench_load)), ratios $(ratio_of "$gateway" "$raw") / $(ratio_of "$gateway" "$seq_raw")"
done
raw=$(printf '%s\n' "${raw_rates[@]}" | median)
seq_raw=$(printf '%s\n' "${seq_rates[@]}" | median)
gateway=$(printf '%s\n' "${gateway_rates[@]}" | median)
p99=$(printf '%s\n' "${gateway_p99s[@]}" | median)
ratio=$(ratio_of "$gateway" "$raw")
seq_ratio=$(ratio_of "$gateway" "$seq_raw")
meets() { awk -v x="$1" 'BEGIN { print (x >= 0.8) ? "meets" : "MISSES" }'; }
verdict=$(meets "$ratio")
seq_verdict=$(meets "$seq_ratio")
load_ab=$(bench_load)

# (c) one page, small against big folder; interleaved so both see the same neighbours.
bench_say "(c): $SAMPLES sequential pages in Bench1k, then in Bench100k; $(bench_load)"
one_page() { curl -fsS -o /dev/null -w '%{time_total}\n' -H "$auth" "$base/folders/$1/messages?limit=$LIMIT"; }
# One folder after the other, not interleaved: with one request at a time the pool reuses one
# session, and alternating folders would time an EXAMINE per request (about 100 ms for 100,000
# messages here), not the page. Three untimed pages first select the folder.
timed_pages() {
    local folder=$1 out=$2
    for _ in 1 2 3; do one_page "$folder" >/dev/null; done
    for _ in $(seq 1 "$SAMPLES"); do one_page "$folder"; done >"$out"
}
timed_pages Bench1k "$BENCH_DIR/small.txt"
timed_pages Bench100k "$BENCH_DIR/big.txt"
small_s=$(median <"$BENCH_DIR/small.txt")
big_s=$(median <"$BENCH_DIR/big.txt")
load_c=$(bench_load)
raw_small_s=$(python3 scripts/bench_raw_imap_pages.py latency "$IMAP_PORT" bench bench Bench1k "$SAMPLES" search)
raw_big_s=$(python3 scripts/bench_raw_imap_pages.py latency "$IMAP_PORT" bench bench Bench100k "$SAMPLES" search)
seq_small_s=$(python3 scripts/bench_raw_imap_pages.py latency "$IMAP_PORT" bench bench Bench1k "$SAMPLES" sequence)
seq_big_s=$(python3 scripts/bench_raw_imap_pages.py latency "$IMAP_PORT" bench bench Bench100k "$SAMPLES" sequence)
ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }
size_ratio=$(awk -v b="$big_s" -v s="$small_s" 'BEGIN { printf "%.2f", b / s }')
raw_size_ratio=$(awk -v b="$raw_big_s" -v s="$raw_small_s" 'BEGIN { printf "%.2f", b / s }')
seq_size_ratio=$(awk -v b="$seq_big_s" -v s="$seq_small_s" 'BEGIN { printf "%.2f", b / s }')
size_verdict=$(awk -v x="$size_ratio" 'BEGIN { print (x <= 1.5) ? "meets" : "MISSES" }')

echo
echo "Read-side pages, GET /folders/{folder}/messages?limit=$LIMIT (median of $ROUNDS x ${DURATION}s, C=$C, Bench20k = $MESSAGES messages, --mirror $MIRROR)"
echo "  (a) gateway  wrk -t2 -c$C -d${DURATION}s --latency: $gateway pages/s, p99 ${p99} ms"
echo "  (b) raw IMAP, $C connections:"
echo "        search   UID SEARCH RETURN (ALL) ALL + UID FETCH 50: $raw pages/s; gateway/raw $ratio ($verdict the >= 0.8 target)"
echo "        sequence FETCH max(1,EXISTS-49):* (what the gateway sends): $seq_raw pages/s; gateway/raw $seq_ratio ($seq_verdict the >= 0.8 target)"
echo "      $load_ab"
echo "  (c) one page, median of $SAMPLES sequential curl requests: $BIG messages $(ms "$big_s") ms," \
     "$SMALL messages $(ms "$small_s") ms, ratio $size_ratio ($size_verdict the <= 1.5 target); $load_c"
echo "      raw IMAP search, same page on one connection: $BIG $(ms "$raw_big_s") ms, $SMALL $(ms "$raw_small_s") ms," \
     "ratio $raw_size_ratio"
echo "      raw IMAP sequence, same page on one connection: $BIG $(ms "$seq_big_s") ms, $SMALL $(ms "$seq_small_s") ms," \
     "ratio $seq_size_ratio; $(bench_load)"
