#!/usr/bin/env bash
# HTTP benchmark (not a test): our server against nginx on GET /health, then memory with
# 1,000 idle keep-alive connections. Loopback only; bounded in time; cleans up after itself.
#
#   scripts/bench-http.sh
#
# Environment:
#   SERVER_CMD   command that starts the server under test; "{PORT}" is replaced by the port.
#                Default: builds release and runs
#                  .build/release/imap-gateway serve --listen 127.0.0.1:{PORT} $GATEWAY_ARGS
#   GATEWAY_ARGS extra arguments for `imap-gateway serve` (default `--log-level warning`: no access
#                log, as nginx runs with `access_log off`; set GATEWAY_ARGS= to measure with it).
#   DURATION     wrk duration per round (default 10s); CONNECTIONS (64); THREADS (2);
#   ROUNDS       alternating rounds per server, the median is reported (default 3): on a shared
#                machine a single run says more about the neighbours than about the servers.
#   IDLE_CONNECTIONS (1000).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-1000}
ROUNDS=${ROUNDS:-3}
OUR_PORT=${OUR_PORT:-18180}
NGINX_PORT=${NGINX_PORT:-18181}
BODY='{"status":"ok"}'

WORK=$(mktemp -d /tmp/bench-http.XXXXXX)
SERVER_PID=""
NGINX_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing $2 ..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
[ -x /usr/sbin/nginx ] || need nginx nginx-light
need python3 python3
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# Refuses a port someone else already serves: we would be measuring their server.
ensure_free() {
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" 2>/dev/null; then
        echo "port $1 is already in use; set OUR_PORT / NGINX_PORT" >&2
        exit 1
    fi
}

# Polls until our process answers GET /health on the port (no fixed sleeps).
wait_for_port() {
    local port=$1 pid=$2 deadline=$((SECONDS + 30))
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then echo "the server on port $port exited" >&2; exit 1; fi
        if [ $SECONDS -ge $deadline ]; then echo "nothing answered on port $port" >&2; exit 1; fi
        sleep 0.1
    done
}

# Prints "req/s p99" from a wrk run.
run_wrk() {
    local port=$1 out="$WORK/wrk-$1-$2.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$port/health" > "$out"
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    if grep -q "Non-2xx" "$out"; then echo "warning: non-2xx responses on port $port" >&2; fi
    echo "$rps $p99"
}

# --- our server ---------------------------------------------------------------------------
if [ -z "${SERVER_CMD:-}" ]; then
    echo "building release ..." >&2
    swift build -c release --product imap-gateway >&2
    # nginx runs with `access_log off`; ours likewise, by default: the access log is an info line.
    SERVER_CMD=".build/release/imap-gateway serve --listen 127.0.0.1:{PORT} ${GATEWAY_ARGS---log-level warning}"
fi
ensure_free "$OUR_PORT"
ensure_free "$NGINX_PORT"
${SERVER_CMD//\{PORT\}/$OUR_PORT} > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_for_port "$OUR_PORT" "$SERVER_PID"

# --- nginx: one worker, no access log, same body ------------------------------------------
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /health {
            default_type application/json;
            return 200 '$BODY';
        }
    }
}
NGINX
/usr/sbin/nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
wait_for_port "$NGINX_PORT" "$NGINX_PID"

echo "our body:   $(curl -fsS "http://127.0.0.1:$OUR_PORT/health")" >&2
echo "nginx body: $(curl -fsS "http://127.0.0.1:$NGINX_PORT/health")" >&2

# Warm-up, then the measured runs.
wrk -t1 -c8 -d2s "http://127.0.0.1:$OUR_PORT/health" >/dev/null
wrk -t1 -c8 -d2s "http://127.0.0.1:$NGINX_PORT/health" >/dev/null
# Alternate the servers so that both see the same background load; report medians.
: > "$WORK/ours.txt"
: > "$WORK/nginx.txt"
for round in $(seq "$ROUNDS"); do
    run_wrk "$OUR_PORT" "$round" >> "$WORK/ours.txt"
    run_wrk "$NGINX_PORT" "$round" >> "$WORK/nginx.txt"
    echo "round $round: ours $(tail -1 "$WORK/ours.txt"), nginx $(tail -1 "$WORK/nginx.txt")" >&2
done
median() { python3 -c "import sys, statistics; print(statistics.median(float(l.split()[$2]) for l in open(sys.argv[1])))" "$1"; }
median_latency() {
    python3 - "$1" <<'PY'
import statistics, sys
def ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * factor
    return float(text)
print(f"{statistics.median(ms(line.split()[1]) for line in open(sys.argv[1])):.2f}ms")
PY
}
OUR_RPS=$(median "$WORK/ours.txt" 0)
NGINX_RPS=$(median "$WORK/nginx.txt" 0)
OUR_P99=$(median_latency "$WORK/ours.txt")
NGINX_P99=$(median_latency "$WORK/nginx.txt")
RATIO=$(python3 -c "print(f'{$OUR_RPS / $NGINX_RPS:.2f}')")

kill "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""

# --- memory with idle keep-alive connections ----------------------------------------------
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }
RSS_BEFORE=$(rss_kib)
python3 - "$OUR_PORT" "$IDLE_CONNECTIONS" "$SERVER_PID" > "$WORK/idle.txt" <<'PY'
import socket, sys, time
port, count, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
request = b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n"
sockets = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(request)
    sockets.append(s)
answered = 0
for s in sockets:
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b'{"status":"ok"}'):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    answered += data.startswith(b"HTTP/1.1 200")
# All connections are now idle keep-alive connections; let the server settle, then measure.
time.sleep(1)
with open(f"/proc/{pid}/status") as status:
    rss = next(line.split()[1] for line in status if line.startswith("VmRSS:"))
print(answered, rss)
for s in sockets:
    s.close()
PY
read -r IDLE_ANSWERED RSS_IDLE < "$WORK/idle.txt"

printf '\n%-28s %12s %12s\n' "GET /health (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS)" "req/s" "p99"
printf '%-28s %12s %12s\n' "imap-gateway" "$OUR_RPS" "$OUR_P99"
printf '%-28s %12s %12s\n' "nginx (1 worker)" "$NGINX_RPS" "$NGINX_P99"
printf 'ratio (ours / nginx): %s   (target >= 0.6)\n' "$RATIO"
printf '\nRSS before: %s KiB; with %s idle keep-alive connections (%s answered): %s KiB = %s MiB   (target <= 40 MiB)\n' \
    "$RSS_BEFORE" "$IDLE_CONNECTIONS" "$IDLE_ANSWERED" "$RSS_IDLE" "$(python3 -c "print(f'{$RSS_IDLE / 1024:.1f}')")"
