#!/usr/bin/env bash
# Benchmark (not a test): flag changes per second through the gateway against the same
# UID STORE commands over raw IMAP, on one Dovecot, in one run. Target: gateway/raw >= 0.8.
#
#   scripts/bench-flags.sh
#
# Both sides keep C connections busy for DURATION seconds, each issuing one request at a time
# over different UIDs of a folder of MESSAGES messages, alternating add and remove of \Flagged:
#   gateway  wrk, PATCH /folders/Bench/messages/{uid} {"flags":{"add":["\\Flagged"]}} (or remove),
#            HTTP Basic, keep-alive; the gateway pool may open C sessions
#   raw      python3 asyncio, C logged-in connections with Bench SELECTed, each sending
#            UID STORE n +FLAGS (\Flagged) / -FLAGS: not .SILENT, because the gateway's PATCH
#            answers with the flags and so waits for the untagged FETCH too.
# Rounds alternate raw and gateway; medians are reported (neighbours on a shared machine move
# single runs a lot).
#
# Environment: C (8), DURATION (10, seconds), MESSAGES (1000), ROUNDS (3),
#   GATEWAY_BINARY (prebuilt imap-gateway; default: release build), KEEP_BENCH_DIR=1 keeps the
#   Dovecot directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench-flags
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

C=${C:-8}
DURATION=${DURATION:-10}
MESSAGES=${MESSAGES:-1000}
ROUNDS=${ROUNDS:-3}

bench_need wrk wrk
bench_need python3 python3
BENCH_DIR=$(mktemp -d /tmp/imap-gateway-bench-flags.XXXXXX)
trap bench_cleanup EXIT

bench_say "seeding $MESSAGES messages into folder Bench"
python3 - "$BENCH_DIR/mail/bench/Bench" "$MESSAGES" <<'PY'
import os, pwd, sys
folder, count = sys.argv[1], int(sys.argv[2])
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(folder, sub), exist_ok=True)
for n in range(count):
    body = (f"From: Bench <bench@example.com>\r\nTo: bench@example.com\r\nSubject: bench {n}\r\n"
            f"Date: Mon, 13 Jan 2025 10:00:00 +0000\r\nMessage-ID: <bench{n}@example.com>\r\n\r\n"
            f"Message {n}.\r\n")
    with open(os.path.join(folder, "cur", f"1736762400.M{n}P1.bench:2,"), "w", newline="") as f:
        f.write(body)
if os.geteuid() == 0:
    owner = pwd.getpwnam("dovecot")
    root = os.path.dirname(os.path.dirname(folder))
    for directory, _, files in os.walk(root):
        os.chown(directory, owner.pw_uid, owner.pw_gid)
        for name in files:
            os.chown(os.path.join(directory, name), owner.pw_uid, owner.pw_gid)
PY
bench_start_dovecot
bench_start_gateway --pool-per-account "$C" --pool-global "$((C * 2))"

# The UIDs as Dovecot assigned them (1..MESSAGES for a fresh folder, but ask).
uids_file=$BENCH_DIR/uids
python3 - "$IMAP_PORT" >"$uids_file" <<'PY'
import imaplib, sys
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
imap.login("bench", "bench")
imap.select("Bench")
_, data = imap.uid("SEARCH", "ALL")
print(" ".join(data[0].decode().split()))
imap.logout()
PY
uid_count=$(wc -w <"$uids_file")
[[ $uid_count -ge $((C * 2)) ]] || bench_die "only $uid_count messages in Bench"

# wrk: one connection per thread; thread i takes UIDs i, i+C, i+2C, ... and alternates add/remove.
cat >"$BENCH_DIR/flags.lua" <<EOF
local uids = {}
for uid in string.gmatch("$(cat "$uids_file")", "%d+") do uids[#uids + 1] = uid end
local threads, counter = {}, 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local id, k, stride = 0, 0, $C
local auth = "Basic " .. "$(printf 'bench:bench' | base64)"
local add = '{"flags":{"add":["\\\\\\\\Flagged"]}}'
local remove = '{"flags":{"remove":["\\\\\\\\Flagged"]}}'
function init(args) id = tonumber(wrk.thread:get("id")) end
function request()
  local uid = uids[((id + stride * k) % #uids) + 1]
  local body = (k % 2 == 0) and add or remove
  k = k + 1
  return wrk.format("PATCH", "/folders/Bench/messages/" .. uid,
    {["Authorization"] = auth, ["Content-Type"] = "application/json"}, body)
end
EOF

# Raw IMAP: C connections, the same UID pattern and alternation, one command in flight each.
cat >"$BENCH_DIR/raw_store.py" <<'PY'
import asyncio, sys, time
port, connections, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
uids = open(sys.argv[4]).read().split()

async def command(reader, writer, tag, text):
    writer.write(f"{tag} {text}\r\n".encode())
    untagged = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        if line.startswith(tag.encode() + b" "):
            if not line.startswith(tag.encode() + b" OK"):
                raise RuntimeError(f"{text}: {line!r}")
            return untagged
        if b" FETCH " in line:
            untagged += 1

async def client(index, deadline, counts):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readuntil(b"\r\n")
    await command(reader, writer, "L", "LOGIN bench bench")
    await command(reader, writer, "S", "SELECT Bench")
    k, done, fetches = 0, 0, 0
    while time.monotonic() < deadline:
        uid = uids[(index + connections * k) % len(uids)]
        sign = "+" if k % 2 == 0 else "-"
        fetches += await command(reader, writer, f"a{k}", f"UID STORE {uid} {sign}FLAGS (\\Flagged)")
        k += 1
        done += 1
    await command(reader, writer, "Z", "LOGOUT")
    writer.close()
    counts.append((done, fetches))

async def main():
    counts = []
    start = time.monotonic()
    await asyncio.gather(*(client(i, start + duration, counts) for i in range(connections)))
    elapsed = time.monotonic() - start
    done = sum(c[0] for c in counts)
    fetches = sum(c[1] for c in counts)
    if fetches < done:
        print(f"warning: {done - fetches} STOREs came back without FETCH", file=sys.stderr)
    print(f"{done / elapsed:.1f}")

asyncio.run(main())
PY

run_gateway() {
    local out
    out=$(wrk -t "$C" -c "$C" -d "${DURATION}s" -s "$BENCH_DIR/flags.lua" "http://127.0.0.1:$HTTP_PORT" 2>&1)
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$out" >&2
        bench_die "the gateway answered errors (see above; its log: $BENCH_DIR/gateway.log)"
    fi
    awk '/Requests\/sec:/ { print $2 }' <<<"$out"
}
run_raw() { python3 "$BENCH_DIR/raw_store.py" "$IMAP_PORT" "$C" "$DURATION" "$uids_file"; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Warm-up: the gateway's pool opens its sessions, Dovecot its index.
wrk -t "$C" -c "$C" -d 2s -s "$BENCH_DIR/flags.lua" "http://127.0.0.1:$HTTP_PORT" >/dev/null 2>&1

bench_say "$ROUNDS rounds of ${DURATION}s each, C=$C, $uid_count messages; $(bench_load)"
raw_rates=() gateway_rates=()
for round in $(seq 1 "$ROUNDS"); do
    raw=$(run_raw)
    gateway=$(run_gateway)
    raw_rates+=("$raw")
    gateway_rates+=("$gateway")
    bench_say "round $round: raw IMAP $raw STORE/s, gateway $gateway PATCH/s"
done
raw=$(printf '%s\n' "${raw_rates[@]}" | median)
gateway=$(printf '%s\n' "${gateway_rates[@]}" | median)
ratio=$(awk -v g="$gateway" -v r="$raw" 'BEGIN { printf "%.2f", g / r }')
verdict=$(awk -v x="$ratio" 'BEGIN { print (x >= 0.8) ? "meets" : "MISSES" }')
# What the gateway sent to IMAP for all of it (warm-up included), from its own /metrics.
bench_say "gateway IMAP commands: $(curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" | sed -n 's/^imap_commands_total//p' | paste -sd ';' -)"
echo "flag changes/s (median of $ROUNDS x ${DURATION}s, C=$C): raw IMAP UID STORE $raw, gateway PATCH $gateway, ratio $ratio ($verdict the 0.8 target); $(bench_load)"
