#!/usr/bin/env bash
# Benchmark (not a test): the folder mirror (--mirror on) against the gateway without it and the
# expert raw IMAP client, in one run against one Dovecot:
#
#   (a) list pages per second, GET /folders/Bench20k/messages?limit=50, wrk -t2 -cC -dDURATION,
#       mirror off and mirror on, and the raw client (scripts/bench_raw_imap_pages.py, C
#       connections, FETCH by sequence number: the issue's "expert raw client") in the same
#       rounds; ratios gateway/raw (the issue's target with the mirror: >= 2.0).
#   (b) memory: after the mirror-on gateway filled Bench20k, mirror_bytes / mirror_messages from
#       /metrics (the estimate the budget counts) and the gateway's RSS growth per message
#       (measured), and what a 100,000-message folder takes at that rate.
#   (c) time to the first page of a never-seen 100,000-message folder: the first request after
#       a gateway start (login, EXAMINE, page), mirror off and on, REPEAT times each.
#   (d) the background fill of that folder (over the inline limit): a fresh mirror-on gateway
#       serves its first page, a second one while the watcher fills, then the time until the
#       whole folder is mirrored (mirror_messages = BIG and a page carries a state), a page
#       from the mirror, mirror_bytes and the gateway's RSS growth.
#
#   scripts/bench-mirror.sh
#
# Environment: C (4), DURATION (8 s), ROUNDS (3), REPEAT (3), MESSAGES (20000), BIG (100000),
#   GATEWAY_BINARY (prebuilt imap-gateway; default: release build in BENCH_SCRATCH or .build),
#   KEEP_BENCH_DIR=1 keeps the Dovecot directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench-mirror
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

C=${C:-4}
DURATION=${DURATION:-8}
ROUNDS=${ROUNDS:-3}
REPEAT=${REPEAT:-3}
MESSAGES=${MESSAGES:-20000}
BIG=${BIG:-100000}
LIMIT=50

bench_need wrk wrk
bench_need curl curl
bench_need python3 python3
bench_make_dir
OTHER_PID=""
cleanup() {
    if [[ -n $OTHER_PID ]] && kill -0 "$OTHER_PID" 2>/dev/null; then kill -TERM "$OTHER_PID"; wait "$OTHER_PID" 2>/dev/null || true; fi
    bench_cleanup
}
trap cleanup EXIT

bench_say "seeding Bench20k ($MESSAGES), Bench100k ($BIG) in $BENCH_DIR; $(bench_load)"
mkdir -p "$BENCH_DIR/mail/bench"
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Bench100k" "$BIG" & seeder=$!
python3 scripts/seed_maildir.py "$BENCH_DIR/mail/bench/Bench20k" "$MESSAGES"
wait "$seeder" || bench_die "seeding failed"
bench_start_dovecot
bench_say "indexing the folders (first EXAMINE)"
python3 - "$IMAP_PORT" <<'PY'
import imaplib, sys
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
imap.login("bench", "bench")
for folder in ("Bench20k", "Bench100k"):
    typ, data = imap.select(folder, readonly=True)
    if typ != "OK":
        sys.exit(f"EXAMINE {folder}: {data}")
imap.logout()
PY
binary=$(bench_binary)
export GATEWAY_BINARY=$binary
auth="Authorization: Basic $(printf 'bench:bench' | base64)"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio_of() { awk -v g="$1" -v r="$2" 'BEGIN { printf "%.2f", g / r }'; }

# Starts a gateway (mirror on|off); sets PORT_<mode> and the pid in BENCH_GATEWAY_PID / OTHER_PID.
start() {
    local mirror=$1
    bench_start_gateway --pool-per-account "$C" --pool-global "$((C * 2))" --mirror "$mirror" --mirror-max-bytes 536870912
    if [[ $mirror == on ]]; then PORT_ON=$HTTP_PORT; PID_ON=$BENCH_GATEWAY_PID; else PORT_OFF=$HTTP_PORT; PID_OFF=$BENCH_GATEWAY_PID; fi
}
stop_gateways() {
    for pid in ${PID_ON:-} ${PID_OFF:-}; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    PID_ON="" PID_OFF="" BENCH_GATEWAY_PID="" OTHER_PID=""
}
first_page() { curl -fsS -o /dev/null -w '%{time_total}\n' -H "$auth" "http://127.0.0.1:$1/folders/$2/messages?limit=$LIMIT"; }
metric() { curl -fsS "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# (c) first: the gateways must never have seen Bench100k.
bench_say "(c): first page of Bench100k after a gateway start, $REPEAT times each; $(bench_load)"
off_first=() on_first=()
for _ in $(seq 1 "$REPEAT"); do
    start off; off_first+=("$(first_page "$PORT_OFF" Bench100k)"); stop_gateways
    start on; on_first+=("$(first_page "$PORT_ON" Bench100k)"); stop_gateways
done
load_c=$(bench_load)

# (d) the background fill of Bench100k on a fresh gateway.
bench_say "(d): background fill of Bench100k; $(bench_load)"
start on
big_url="http://127.0.0.1:$PORT_ON/folders/Bench100k/messages?limit=$LIMIT"
rss_before_big=$(rss_kb "$PID_ON")
fill_began=$(date +%s.%N)
big_first=$(first_page "$PORT_ON" Bench100k)
big_during=$(first_page "$PORT_ON" Bench100k)
during_state=$(curl -fsS -H "$auth" "$big_url" | grep -c '"state"' || true)
deadline=$((SECONDS + 900))
until [[ $(metric "$PORT_ON" mirror_messages) == "$BIG" ]] && curl -fsS -H "$auth" "$big_url" | grep -q '"state"'; do
    ((SECONDS < deadline)) || bench_die "Bench100k not mirrored within 900 s (gateway log: $BENCH_DIR/gateway.log)"
    sleep 0.2
done
fill_done=$(date +%s.%N)
big_fill_s=$(awk -v a="$fill_began" -v b="$fill_done" 'BEGIN { printf "%.1f", b - a }')
big_mirrored=$(first_page "$PORT_ON" Bench100k)
big_bytes=$(metric "$PORT_ON" mirror_bytes)
rss_after_big=$(rss_kb "$PID_ON")
big_fills=$(curl -fsS "http://127.0.0.1:$PORT_ON/metrics" | awk '$1 == "mirror_syncs_total{kind=\"fill\"}" { print $2 }')
load_d=$(bench_load)
stop_gateways

# (b) memory, then (a) on the same gateways.
start off; OTHER_PID=$PID_OFF
start on
rss_before=$(rss_kb "$PID_ON")
fill_s=$(first_page "$PORT_ON" Bench20k)
[[ $(metric "$PORT_ON" mirror_messages) == "$MESSAGES" ]] || bench_die "Bench20k is not mirrored (gateway log: $BENCH_DIR/gateway.log)"
rss_after=$(rss_kb "$PID_ON")
mirror_bytes=$(metric "$PORT_ON" mirror_bytes)
estimated=$(awk -v b="$mirror_bytes" -v n="$MESSAGES" 'BEGIN { printf "%.0f", b / n }')
measured=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$MESSAGES" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')

url() { echo "http://127.0.0.1:$1/folders/Bench20k/messages?limit=$LIMIT"; }
run_wrk() {
    local out=$BENCH_DIR/wrk.txt
    wrk -t2 -c"$C" -d"${DURATION}s" -H "$auth" "$(url "$1")" >"$out" 2>&1
    grep -q "Non-2xx\|Socket errors" "$out" && { cat "$out" >&2; bench_die "the gateway answered errors"; }
    awk '/^Requests\/sec:/ { print $2 }' "$out"
}
run_raw() { python3 scripts/bench_raw_imap_pages.py rate "$IMAP_PORT" bench bench Bench20k "$C" "$DURATION" sequence; }
for port in "$PORT_OFF" "$PORT_ON"; do wrk -t2 -c"$C" -d2s -H "$auth" "$(url "$port")" >/dev/null 2>&1; done
bench_say "(a): $ROUNDS rounds of ${DURATION}s, C=$C, Bench20k; $(bench_load)"
raws=() offs=() ons=()
for round in $(seq 1 "$ROUNDS"); do
    raw=$(run_raw); off=$(run_wrk "$PORT_OFF"); on=$(run_wrk "$PORT_ON")
    raws+=("$raw") offs+=("$off") ons+=("$on")
    bench_say "round $round: raw $raw, mirror off $off, mirror on $on pages/s; $(bench_load)"
done
raw=$(printf '%s\n' "${raws[@]}" | median)
off=$(printf '%s\n' "${offs[@]}" | median)
on=$(printf '%s\n' "${ons[@]}" | median)
hits=$(curl -fsS "http://127.0.0.1:$PORT_ON/metrics" | awk '$1 == "mirror_reads_total{result=\"hit\"}" { print $2 }')
load_a=$(bench_load)

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
echo
echo "Folder mirror (C=$C, median of $ROUNDS x ${DURATION}s; Bench20k = $MESSAGES messages)"
echo "  (a) pages/s, GET .../messages?limit=$LIMIT: raw IMAP (FETCH by sequence number) $raw," \
     "mirror off $off ($(ratio_of "$off" "$raw")x raw), mirror on $on ($(ratio_of "$on" "$raw")x raw; target 2.0);" \
     "mirror hits $hits; $load_a"
echo "  (b) Bench20k mirrored in $(ms "$fill_s") ms (first page, inline fill): estimate $estimated bytes/message" \
     "(mirror_bytes $mirror_bytes), measured RSS growth $measured bytes/message;" \
     "a $BIG-message folder at that rate: $(awk -v m="$measured" -v n="$BIG" 'BEGIN { printf "%.1f", m * n / 1048576 }') MiB"
echo "  (c) first page of never-seen Bench100k ($BIG): mirror off $(printf '%s\n' "${off_first[@]}" | median | xargs -I{} awk 'BEGIN { printf "%.1f", {} * 1000 }') ms," \
     "mirror on $(printf '%s\n' "${on_first[@]}" | median | xargs -I{} awk 'BEGIN { printf "%.1f", {} * 1000 }') ms" \
     "(median of $REPEAT; each after a gateway start: login, EXAMINE, page); $load_c"
echo "  (d) background fill of never-seen Bench100k ($BIG): first page $(ms "$big_first") ms, a page during the fill" \
     "$(ms "$big_during") ms (from IMAP: state in it $during_state), fully mirrored $big_fill_s s after the first request" \
     "(fills $big_fills), then a page $(ms "$big_mirrored") ms; mirror_bytes $big_bytes" \
     "($(awk -v b="$big_bytes" -v n="$BIG" 'BEGIN { printf "%.0f", b / n }') bytes/message), RSS growth" \
     "$(awk -v a="$rss_after_big" -v b="$rss_before_big" 'BEGIN { printf "%.1f", (a - b) / 1024 }') MiB" \
     "($(awk -v a="$rss_after_big" -v b="$rss_before_big" -v n="$BIG" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }') bytes/message); $load_d"
